"""PDF documents (contract, enrollment application, consent, invoices) with reportlab.

Input: domain objects; output: bytes or a file. No Qt, no database.
"""
