"""The demo speech that `load_demo` adds: our own text, in the shape of a real one.

A municipal statistics bureau closes its year-long campaign on data quality. A few
placeholders (X, XX) are left in on purpose, as in a draft still being written.
"""

import datetime

from .structure import InlineItem, LeadItem, PartOne, PartTwo, Speech

DEMO_TITLE = "在市统计局“数据质量提升年”活动\n总结大会上的讲话"


def demo_speech() -> Speech:
    return Speech(
        title=DEMO_TITLE,
        occasion="市统计局“数据质量提升年”活动总结大会",
        organization="市统计局",
        speaker="局长 王XX",
        date=datetime.date(2026, 12, 18),
        salutation="同志们：",
        opening=(
            "今年年初，局党组部署开展“数据质量提升年”活动，目的是从源头上解决统计数据"
            "不准、不全、不及时的问题，让每一个数字都经得起检验。一年来，全局上下按照"
            "“夯基础、严核查、强应用、优服务”的思路，一项一项抓推进，一个环节一个环节抠细节，"
            "活动达到了预期目的。今天召开总结大会，主要是回顾一年来的工作，查找存在的问题，"
            "对下一步工作作出安排。下面，我讲两点意见。"
        ),
        part_one=PartOne(
            heading="回顾全年工作，数据质量提升活动取得明显成效",
            intro=(
                "活动启动后，局党组把它列为全年重点工作，成立了由主要负责同志任组长的工作专班，"
                "制定了X项重点任务清单，每月调度一次进展，推动各项任务按期落地。"
            ),
            achievements=[
                LeadItem(
                    "在夯实基层基础上用力，源头数据更加规范。",
                    "全面梳理全市X家联网直报企业的台账建设情况，逐家建立原始记录和统计台账，"
                    "组织基层统计员培训X期、参训X人次。对台账不规范的企业实行“一企一策”帮扶，"
                    "源头数据差错率比上年下降X个百分点。",
                ),
                LeadItem(
                    "在严格审核查询上用力，统计数据更加真实。",
                    "建立“企业自审、区县初审、市局终审”三级审核机制，开发数据质量自动校验规则X条，"
                    "全年发出查询X份，核实纠正异常数据X条。对XX等重点行业开展专项核查，"
                    "发现的问题全部整改到位。",
                ),
                LeadItem(
                    "在防范统计造假上用力，法治氛围更加浓厚。",
                    "认真落实防范和惩治统计造假弄虚作假责任制，开展统计执法检查X次，"
                    "立案查处XX案件X起，公开曝光典型案例X个。通过“以案释法”进企业、进社区，"
                    "依法统计、依法治统的意识明显增强。",
                ),
                LeadItem(
                    "在深化数据应用上用力，服务决策更加有力。",
                    "围绕市委市政府关注的热点难点，完成专题分析报告X篇，其中X篇获市领导批示。"
                    "按月编发经济运行简报，及时反映新动能成长、消费恢复等方面的新情况，"
                    "为科学决策提供了可靠依据。",
                ),
            ],
            lessons_intro="回顾一年来的工作，我们有几点体会：",
            lessons=[
                InlineItem("数据质量是统计工作的生命线，任何时候都不能打折扣"),
                InlineItem("抓基层、打基础是提升质量的根本途径，必须久久为功"),
                InlineItem("制度和技术两手都要硬，才能把质量控制落到每个环节"),
            ],
        ),
        part_two=PartTwo(
            heading="正视差距不足，推动数据质量再上新台阶",
            shortcomings_intro="在肯定成绩的同时，也要清醒看到存在的不足，主要是：",
            shortcomings=[
                InlineItem("部分基层单位统计力量薄弱，人员流动频繁"),
                InlineItem("数据校验规则还不够完善，对新兴行业的覆盖不足"),
                InlineItem("统计数据的开发应用深度不够，服务基层的产品偏少"),
            ],
            transition="对这些问题，我们要高度重视，在今后的工作中认真加以解决。",
            measures=[
                LeadItem(
                    "要在队伍建设上持续加力。",
                    "推动区县配齐配强专职统计人员，建立基层统计员持证上岗和定期轮训制度，"
                    "力争明年底前实现乡镇（街道）统计岗位全覆盖。",
                ),
                LeadItem(
                    "要在制度建设上持续完善。",
                    "修订完善数据质量评估办法，把新兴行业纳入校验规则，"
                    "对XX等领域探索建立第三方比对核查机制。",
                ),
                LeadItem(
                    "要在数据服务上持续创新。",
                    "面向区县和部门开发一批简明实用的统计产品，"
                    "推进统计数据共享平台建设，让数据多跑路、基层少跑腿。",
                ),
            ],
        ),
        closing=(
            "同志们，数据质量没有终点，只有连续不断的新起点。希望大家再接再厉，"
            "以更加严谨的作风、更加扎实的工作，为全市高质量发展提供更加准确、及时的统计服务。"
        ),
    )
