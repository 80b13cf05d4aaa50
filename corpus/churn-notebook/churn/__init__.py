"""Telco churn prediction: features, training and scoring."""
