# old version (march) - DO NOT USE, kept for reference
# this one used the old openai 0.28 API and gpt-3.5-turbo
import os
import time

import openai
import pandas as pd

openai.api_key = os.environ["OPENAI_API_KEY"]

DATA = "/Users/alice/Downloads/amazon_reviews_2023.csv"
MODEL = "gpt-3.5-turbo"

PROMPT = """Classify the sentiment of this product review as positive, negative or neutral.

Review: {review}
Sentiment:"""

results = []


def clean_text(text):
    if not isinstance(text, str):
        return ""
    return " ".join(text.split())[:1500]


def classify(review):
    review = clean_text(review)
    if not review:
        return "neutral"
    try:
        resp = openai.ChatCompletion.create(
            model=MODEL,
            messages=[{"role": "user", "content": PROMPT.format(review=review)}],
            temperature=0,
        )
    except openai.error.RateLimitError:
        # HACK: just wait and try once more
        time.sleep(20)
        resp = openai.ChatCompletion.create(
            model=MODEL,
            messages=[{"role": "user", "content": PROMPT.format(review=review)}],
            temperature=0,
        )
    answer = resp["choices"][0]["message"]["content"].strip().lower()
    if "pos" in answer:
        return "positive"
    if "neg" in answer:
        return "negative"
    return "neutral"


def classify_rating(rating):
    # baseline before the LLM: 4-5 stars positive, 1-2 negative
    if rating >= 4:
        return "positive"
    if rating <= 2:
        return "negative"
    return "neutral"


def run(limit=200):
    df = pd.read_csv(DATA)
    df = df.head(limit)
    for i, row in df.iterrows():
        label = classify(row["review_text"])
        results.append(label)
        if i % 20 == 0:
            print(i, label)
    df["predicted"] = results
    df["baseline"] = df["rating"].apply(classify_rating)
    if "label" in df.columns:
        acc = (df["predicted"] == df["label"]).mean()
        base = (df["baseline"] == df["label"]).mean()
        print("accuracy", acc, "baseline", base)
    df.to_csv("/Users/alice/Downloads/preds_v1.csv", index=False)


# def run_parallel():
#     from concurrent.futures import ThreadPoolExecutor
#     df = pd.read_csv(DATA)
#     with ThreadPoolExecutor(8) as ex:
#         df["predicted"] = list(ex.map(classify, df["review_text"]))
#     # got rate limited immediately, gave up


if __name__ == "__main__":
    run()
