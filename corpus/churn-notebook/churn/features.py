"""Cleaning and feature engineering for the telco churn model.

Shared by the notebooks and by churn/train.py so that training and scoring see exactly the same
columns. Input is the raw customer export (one row per customer, see data/customers_sample.csv).
"""

from __future__ import annotations

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TARGET = "Churn"
ID_COLUMN = "customerID"

NUMERIC_FEATURES = [
    "tenure",
    "MonthlyCharges",
    "TotalCharges",
    "avg_monthly_spend",
    "num_services",
]

CATEGORICAL_FEATURES = [
    "gender",
    "SeniorCitizen",
    "Partner",
    "Dependents",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
]

_SERVICE_COLUMNS = [
    "PhoneService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
]


def load_customers(path: str) -> pd.DataFrame:
    """Read the customer export and fix the types the CSV gets wrong."""
    df = pd.read_csv(path)
    # TotalCharges is a blank string for customers in their first month (tenure == 0),
    # so pandas reads the whole column as object.
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce").fillna(0.0)
    df["SeniorCitizen"] = df["SeniorCitizen"].map({0: "No", 1: "Yes"})
    return df


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    """Derived columns: average monthly spend and number of add-on services."""
    out = df.copy()
    # tenure 0 would divide by zero; those customers have paid one month at most
    out["avg_monthly_spend"] = out["TotalCharges"] / out["tenure"].clip(lower=1)
    out["num_services"] = (out[_SERVICE_COLUMNS] == "Yes").sum(axis=1)
    return out


def split_xy(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Features and 0/1 target; drops the id column."""
    features = add_features(df)
    y = (features[TARGET] == "Yes").astype(int)
    X = features[NUMERIC_FEATURES + CATEGORICAL_FEATURES]
    return X, y


def build_preprocessor() -> ColumnTransformer:
    """Scale numeric columns, one-hot the categorical ones (unknown levels ignored)."""
    return ColumnTransformer(
        transformers=[
            ("num", StandardScaler(), NUMERIC_FEATURES),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL_FEATURES),
        ]
    )


# TODO: add "months since last plan change" once the CRM export includes plan history
