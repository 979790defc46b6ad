"""Official documents (公文) and their circulation."""
