"""One module per endpoint family; routers never import each other."""
