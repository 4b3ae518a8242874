"""Pure rules of personalized financing (ПФДО): no I/O, shared by the client and the server."""
