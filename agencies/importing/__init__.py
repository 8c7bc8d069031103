"""Atomic spreadsheet imports with the contract of docs/imports.md.

``reader`` turns an .xlsx/.csv file into typed cells with Excel row numbers, ``cells`` parses
one cell, ``base`` validates a whole file before anything is written, and each app declares
its file kinds as ``ImportSpec`` subclasses registered in ``base.REGISTRY``.
"""
