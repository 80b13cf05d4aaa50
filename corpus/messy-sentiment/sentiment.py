# sentiment.py - classify product reviews as positive / negative / neutral with GPT
# alice 2024-04  (copied from old_sentiment_v1.py and hacked on since, sorry)
#
# usage: python sentiment.py --limit 500
#
import os
import sys
import json
import time
import csv
import re
import argparse
import random
from collections import Counter, defaultdict

import pandas as pd
import requests
from openai import OpenAI
from tqdm import tqdm

# import numpy as np
# from sklearn.metrics import classification_report, confusion_matrix
# import matplotlib.pyplot as plt

DATA_PATH = "/Users/alice/data/reviews.csv"
OUT_PATH = "predictions.csv"
CACHE_FILE = "/Users/alice/data/sentiment_cache.json"
MODEL = "gpt-4o-mini"
# MODEL = "gpt-4-turbo"   # too expensive, 10x cost for +2 points
TEMPERATURE = 0
BATCH_SIZE = 20
LABELS = ["positive", "negative", "neutral"]

# global state, everything below gets mutated by the functions
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
SLACK_WEBHOOK_URL = os.getenv("SLACK_WEBHOOK_URL")
cache = {}
stats = defaultdict(int)
total_tokens = 0
total_cost = 0.0
latencies = []
errors = []

CONFIG = json.load(open("config.json"))

# gpt-4o-mini pricing per 1M tokens (april 2024 page)
PRICE_IN = 0.15
PRICE_OUT = 0.60

SYSTEM_PROMPT = """You are a sentiment classifier for product reviews of an online shop.
Answer with exactly one word: positive, negative or neutral.
Reviews that mention a refund, broken item or late delivery are negative even if polite."""


def load_cache():
    global cache
    if os.path.exists(CACHE_FILE):
        with open(CACHE_FILE) as f:
            cache = json.load(f)
    print(f"cache: {len(cache)} entries")


def save_cache():
    with open(CACHE_FILE, "w") as f:
        json.dump(cache, f)


def clean_text(text):
    if text is None or (isinstance(text, float) and text != text):  # NaN
        return ""
    text = str(text)
    text = re.sub(r"<[^>]+>", " ", text)  # some reviews have html from the old site
    text = re.sub(r"\s+", " ", text).strip()
    # FIXME: truncating at 2000 chars cuts long reviews mid-sentence, the verdict is often at the end
    return text[:2000]


def clean_text_v2(text):
    # not used anymore, kept in case the emoji thing comes back
    text = clean_text(text)
    text = text.encode("ascii", "ignore").decode()
    return text.lower()


def build_messages(review):
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"Review: {review}\nSentiment:"},
    ]


def parse_label(raw):
    raw = raw.strip().lower().strip(".").strip()
    if raw in LABELS:
        return raw
    # HACK: the model sometimes answers "mixed" or "Positive." - map anything unknown to neutral
    for label in LABELS:
        if label in raw:
            return label
    stats["unparsed"] += 1
    return "neutral"


def classify_review(text, model=MODEL):
    """Return (label, latency_ms) for one review. Uses the global cache."""
    global total_tokens, total_cost
    text = clean_text(text)
    if not text:
        return "neutral", 0.0
    if text in cache:
        stats["cache_hit"] += 1
        return cache[text], 0.0
    t0 = time.time()
    for attempt in range(3):
        try:
            resp = client.chat.completions.create(
                model=model,
                messages=build_messages(text),
                temperature=TEMPERATURE,
                max_tokens=3,
            )
            break
        except Exception as e:  # rate limits mostly
            errors.append(str(e))
            time.sleep(2 ** attempt)
    else:
        stats["failed"] += 1
        return "neutral", 0.0
    latency_ms = (time.time() - t0) * 1000
    latencies.append(latency_ms)
    usage = resp.usage
    total_tokens += usage.total_tokens
    total_cost += usage.prompt_tokens / 1e6 * PRICE_IN + usage.completion_tokens / 1e6 * PRICE_OUT
    label = parse_label(resp.choices[0].message.content)
    cache[text] = label
    stats[label] += 1
    return label, latency_ms


def classify_batch(texts):
    # TODO: actually batch these into one prompt, 20 reviews per call would cut cost a lot
    return [classify_review(t)[0] for t in texts]


def classify_with_rating_fallback(text, rating):
    # idea from the standup: skip the LLM when the star rating is obvious
    # never wired in, Bob said 1-star reviews are sometimes positive ("1 star because shipping")
    if rating >= 5:
        return "positive"
    if rating <= 1:
        return "negative"
    return classify_review(text)[0]


def load_reviews(path=DATA_PATH, limit=None):
    df = pd.read_csv(path)
    df = df.dropna(subset=["review_body"])
    # df = df[df["language"] == "en"]   # language column is gone in the new export
    if limit:
        df = df.head(limit)
    print(f"loaded {len(df)} reviews from {path}")
    return df


def evaluate(df, label_col="label"):
    """Accuracy against the hand labels (only 200 rows have them)."""
    labelled = df[df[label_col].notna()]
    if len(labelled) == 0:
        print("no labels, skipping eval")
        return None
    correct = (labelled["predicted"] == labelled[label_col]).sum()
    acc = correct / len(labelled)
    print(f"accuracy: {acc:.2f} on {len(labelled)} labelled reviews")
    per_label = Counter(zip(labelled[label_col], labelled["predicted"]))
    for (gold, pred), n in sorted(per_label.items()):
        print(f"  gold={gold:<8} pred={pred:<8} n={n}")
    return acc


# def evaluate_old(df):
#     from sklearn.metrics import f1_score
#     f1 = f1_score(df["label"], df["predicted"], average="macro")
#     print("F1 macro", f1)
#     cm = confusion_matrix(df["label"], df["predicted"], labels=LABELS)
#     plt.imshow(cm)
#     plt.savefig("/Users/alice/Desktop/cm.png")
#     return f1


def post_to_slack(summary):
    if not SLACK_WEBHOOK_URL:
        print("no SLACK_WEBHOOK_URL, not posting")
        return
    # FIXME: no timeout and no retry, if slack is down the whole run hangs at the end
    requests.post(SLACK_WEBHOOK_URL, json={"text": summary})


def push_to_dashboard(df):
    # dashboard API wants basic auth, password from config.json for now
    # TODO: move api_password to the secrets manager before this goes anywhere near prod
    url = CONFIG["dashboard_url"] + "/api/v1/sentiment"
    payload = df[["review_id", "product_id", "predicted"]].to_dict(orient="records")
    r = requests.post(url, json=payload, auth=(CONFIG["api_user"], CONFIG["api_password"]))
    print("dashboard:", r.status_code)


def summarize(df):
    counts = df["predicted"].value_counts().to_dict()
    n = len(df)
    mean_latency = sum(latencies) / len(latencies) if latencies else 0
    cost_per_1k = total_cost / n * 1000 if n else 0
    lines = [
        f"Sentiment run on {n} reviews ({MODEL})",
        f"positive: {counts.get('positive', 0)}  negative: {counts.get('negative', 0)}  "
        f"neutral: {counts.get('neutral', 0)}",
        f"mean latency: {mean_latency:.0f} ms",
        f"cost: ${total_cost:.4f} (${cost_per_1k:.2f} per 1k reviews)",
        f"cache hits: {stats['cache_hit']}  failed: {stats['failed']}  unparsed: {stats['unparsed']}",
    ]
    return "\n".join(lines)


def top_negative_products(df, k=10):
    # used to be in the slack message, marketing didn't like it
    neg = df[df["predicted"] == "negative"]
    return neg["product_id"].value_counts().head(k)


def sample_for_labelling(df, n=200, seed=42):
    # one-off: this is how the 200 hand-labelled rows were picked
    random.seed(seed)
    idx = random.sample(list(df.index), n)
    df.loc[idx].to_csv("/Users/alice/data/to_label.csv", index=False)


def write_predictions(df):
    # OUT_PATH ignored here since the cron wrapper expects this exact name in cwd
    df[["review_id", "product_id", "rating", "predicted"]].to_csv("predictions.csv", index=False)
    print(f"wrote {len(df)} predictions to predictions.csv")


def main():
    parser = argparse.ArgumentParser(description="LLM sentiment for product reviews")
    parser.add_argument("--input", default=DATA_PATH, help="reviews CSV (needs review_body)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N reviews")
    parser.add_argument("--model", default=MODEL, help="OpenAI chat model")
    parser.add_argument("--dry-run", action="store_true", help="do not post to slack/dashboard")
    parser.add_argument("--no-cache", action="store_true", help="ignore sentiment_cache.json")
    args = parser.parse_args()

    if not args.no_cache:
        load_cache()
    df = load_reviews(args.input, args.limit)

    preds = []
    for text in tqdm(df["review_body"].tolist()):
        label, _ = classify_review(text, model=args.model)
        preds.append(label)
    df["predicted"] = preds

    if "label" in df.columns:
        evaluate(df)
    write_predictions(df)
    save_cache()

    summary = summarize(df)
    print(summary)
    if not args.dry_run:
        post_to_slack(summary)
        push_to_dashboard(df)
    if errors:
        print(f"{len(errors)} API errors, first: {errors[0]}", file=sys.stderr)


# def main_old():
#     df = pd.read_csv(DATA_PATH)
#     out = []
#     for i, row in df.iterrows():
#         out.append(classify_review(row["review_text"])[0])
#         if i % 100 == 0:
#             print(i)
#     df["predicted"] = out
#     df.to_csv(OUT_PATH)


def _debug_one(text):
    # python -c "import sentiment; sentiment._debug_one('...')"
    print(build_messages(text))
    print(classify_review(text))
    print(dict(stats))


if __name__ == "__main__":
    main()
