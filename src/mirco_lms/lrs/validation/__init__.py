"""Sans-I/O xAPI validation: statements, agents, activities, documents, versions."""
