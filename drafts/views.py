"""Views: thin functions over access, forms and the domain modules."""
