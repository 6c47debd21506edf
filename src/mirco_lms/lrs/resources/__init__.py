"""The xAPI resources' rules, free of any web framework (sans-I/O): statements written
and read, and the documents."""
