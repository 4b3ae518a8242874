"""Documents of contracts in the program: preview, printing and saving, one contract or many."""
