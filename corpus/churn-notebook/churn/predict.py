"""Score customers with a trained churn pipeline.

``predict_proba`` is what the weekly batch job calls; ``app`` is a small FastAPI service the CRM
team asked for (one customer per request).
"""

from __future__ import annotations

import os
from functools import lru_cache

import joblib
import pandas as pd
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from churn.features import NUMERIC_FEATURES, CATEGORICAL_FEATURES, add_features

MODEL_PATH = os.getenv("CHURN_MODEL_PATH", "models/churn_gb.joblib")
THRESHOLD = float(os.getenv("CHURN_THRESHOLD", "0.5"))


@lru_cache(maxsize=1)
def load_model(path: str = MODEL_PATH):
    """Load the fitted pipeline once per process."""
    return joblib.load(path)


def predict_proba(customers: pd.DataFrame, model_path: str = MODEL_PATH) -> pd.Series:
    """Churn probability (0..1) for each row of ``customers``, indexed like the input."""
    model = load_model(model_path)
    features = add_features(customers)[NUMERIC_FEATURES + CATEGORICAL_FEATURES]
    return pd.Series(model.predict_proba(features)[:, 1], index=customers.index, name="churn_proba")


class CustomerIn(BaseModel):
    customerID: str
    gender: str
    SeniorCitizen: int = Field(ge=0, le=1)
    Partner: str
    Dependents: str
    tenure: int = Field(ge=0)
    PhoneService: str
    MultipleLines: str
    InternetService: str
    OnlineSecurity: str
    OnlineBackup: str
    DeviceProtection: str
    TechSupport: str
    StreamingTV: str
    StreamingMovies: str
    Contract: str
    PaperlessBilling: str
    PaymentMethod: str
    MonthlyCharges: float
    TotalCharges: float


class ChurnPrediction(BaseModel):
    customerID: str
    churn_proba: float
    will_churn: bool


app = FastAPI(title="churn-scoring")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok", "model": MODEL_PATH}


@app.post("/predict", response_model=ChurnPrediction)
def predict(customer: CustomerIn) -> ChurnPrediction:
    """Score one customer."""
    row = pd.DataFrame([customer.model_dump()])
    row["SeniorCitizen"] = row["SeniorCitizen"].map({0: "No", 1: "Yes"})
    try:
        proba = float(predict_proba(row).iloc[0])
    except FileNotFoundError as exc:
        raise HTTPException(status_code=503, detail="model not trained yet") from exc
    return ChurnPrediction(
        customerID=customer.customerID, churn_proba=proba, will_churn=proba >= THRESHOLD
    )


# TODO: return the top 3 reasons per customer (SHAP?) once the desk confirms they want them
