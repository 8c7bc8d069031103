"""Atomic spreadsheet imports with the contract of DESIGN.md section 2 ("Import files").

``reader`` turns an .xlsx/.csv file into typed cells with Excel row numbers, ``cells`` parses
one cell, ``base`` validates a whole file before anything is written, and each app declares
its file kinds as ``ImportSpec`` subclasses registered in ``base.REGISTRY``.
"""
