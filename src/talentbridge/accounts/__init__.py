"""Accounts, roles and tenancy: users, passwords, API tokens and the access policy."""
