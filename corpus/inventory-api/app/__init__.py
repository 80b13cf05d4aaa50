"""Inventory and orders service for the Northwind Garden warehouses."""
