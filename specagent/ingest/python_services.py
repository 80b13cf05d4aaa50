"""SERVICE facts: LLM APIs, local models, HTTP calls, databases, vector stores, queues, cloud."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from specagent.ingest.models import FactKind
from specagent.ingest.python_common import (
    Ctx,
    dotted,
    kwargs,
    last_name,
)
from specagent.ingest.python_file_io import EXT_RE
from specagent.ingest.python_service_urls import http_service

# --------------------------------------------------------------------------------------------
# services
# --------------------------------------------------------------------------------------------

MODEL_KWARGS = ("model", "model_name", "engine", "deployment_name", "azure_deployment", "model_id")

_LLM_PACKAGES = {
    "openai": "openai",
    "anthropic": "anthropic",
    "ollama": "ollama",
    "litellm": "litellm",
    "cohere": "cohere",
    "mistralai": "mistralai",
    "groq": "groq",
    "together": "together",
    "google": "google",
}
_LANGCHAIN_PREFIXES = ("langchain", "llama_index")
_HTTP_VERBS = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
_VECTOR_DBS = {
    "chromadb": "chromadb",
    "pinecone": "pinecone",
    "qdrant_client": "qdrant",
    "weaviate": "weaviate",
    "pymilvus": "milvus",
    "lancedb": "lancedb",
}
_DATABASES = {
    "sqlite3": ("connect",),
    "psycopg": ("connect", "AsyncConnection", "Connection"),
    "psycopg2": ("connect",),
    "psycopg_pool": ("ConnectionPool", "AsyncConnectionPool"),
    "asyncpg": ("connect", "create_pool"),
    "pymysql": ("connect",),
    "mysql": ("connect",),
    "pymongo": ("MongoClient",),
    "motor": ("AsyncIOMotorClient",),
    "duckdb": ("connect",),
    "redis": ("Redis", "StrictRedis", "from_url", "ConnectionPool"),
    "elasticsearch": ("Elasticsearch", "AsyncElasticsearch"),
}
_QUEUES = {
    "celery": ("Celery",),
    "pika": ("BlockingConnection", "SelectConnection"),
    "kafka": ("KafkaProducer", "KafkaConsumer"),
    "confluent_kafka": ("Producer", "Consumer"),
    "aiokafka": ("AIOKafkaProducer", "AIOKafkaConsumer"),
}
_CLOUD = {
    "boto3": ("client", "resource", "Session"),
    "google.cloud": (),
    "azure": (),
}
_LOCAL_MODELS = {
    "sentence_transformers": ("SentenceTransformer", "CrossEncoder"),
    "transformers": ("pipeline", "from_pretrained"),
}


@dataclass
class _Service:
    name: str
    kind: str
    client: str
    endpoint: str | None
    models: list[str]
    node: ast.Call
    file_models: bool = False  # take the file's model names (LLM clients)


def _model_names(ctx: Ctx, call: ast.Call) -> list[str]:
    kw = kwargs(call)
    out = []
    for key in MODEL_KWARGS:
        if key in kw:
            text = ctx.string(kw[key], at=call.lineno)
            if text and "{" not in text:
                out.append(text)
    return out


def _constant_models(ctx: Ctx) -> list[str]:
    """Module constants that name a model: ``MODEL = "gpt-4o-mini"``, ``EMBED_MODEL = ...``."""
    out = []
    for name, node in ctx.constants.items():
        upper = name.upper()
        if "MODEL" not in upper or any(w in upper for w in ("PATH", "DIR", "FILE", "URL")):
            continue
        text = ctx.string(node)
        if text and "{" not in text and " " not in text and not EXT_RE.search(text):
            out.append(text)
    return out


def _first_string(ctx: Ctx, call: ast.Call, *keys: str) -> str | None:
    if call.args:
        text = ctx.string(call.args[0], at=call.lineno)
        if text:
            return text
    kw = kwargs(call)
    for key in keys:
        if key in kw:
            text = ctx.string(kw[key], at=call.lineno)
            if text:
                return text
    return None


class Services:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.found: list[_Service] = []
        self.file_models: list[str] = []
        self.embedding_models: list[str] = []
        self.fallbacks: list[_Service] = []
        self.constant_models = _constant_models(ctx)

    def visit(self, call: ast.Call) -> None:
        ctx = self.ctx
        name = ctx.qual(call.func) or ""
        attr = last_name(call.func) or ""
        imported = ctx.is_imported_name(call.func)
        top = name.split(".")[0]
        kw = kwargs(call)
        models = _model_names(ctx, call)
        for model in models:
            if model not in self.file_models:
                self.file_models.append(model)
        if "Embedding" in attr or "embed" in name.lower():
            for model in models:
                if model not in self.embedding_models:
                    self.embedding_models.append(model)

        def add(
            name_: str,
            kind: str,
            client: str,
            endpoint: str | None = None,
            own_models: list[str] | None = None,
            file_models: bool = False,
        ) -> None:
            self.found.append(_Service(name_, kind, client, endpoint, own_models or [], call, file_models))

        # LLM SDKs
        if top in _LLM_PACKAGES and imported:
            if top == "google" and not name.startswith(("google.generativeai", "google.genai")):
                pass
            else:
                client = _LLM_PACKAGES[top]
                is_ctor = attr[:1].isupper() or attr in (
                    "create",
                    "chat",
                    "generate",
                    "completion",
                    "acompletion",
                    "embeddings",
                    "embed",
                    "embedding",
                    "GenerativeModel",
                )
                if is_ctor:
                    endpoint = ctx.string(kw.get("base_url") or kw.get("azure_endpoint") or kw.get("host"))
                    own = models or ([_first_string(ctx, call)] if attr == "GenerativeModel" and call.args else [])
                    add(client, "llm", client, endpoint, [m for m in own if m], True)
                return
        if top.startswith(_LANGCHAIN_PREFIXES) and imported:
            lower = attr.lower()
            if attr.endswith("Embeddings") or attr.endswith("Embedding"):
                add(attr, "llm", top, ctx.string(kw.get("base_url")), models, False)
                return
            if (
                attr == "init_chat_model"
                or attr.startswith("Chat")
                or (attr[:1].isupper() and ("llm" in lower or "openai" in lower or "ollama" in lower))
            ):
                own = models or [m for m in [_first_string(ctx, call, "model")] if m]
                endpoint = ctx.string(kw.get("base_url") or kw.get("openai_api_base"))
                add(attr if attr != "init_chat_model" else top, "llm", top, endpoint, own, True)
                return
            if attr in ("Chroma", "from_documents", "from_texts") and ("chroma" in name.lower() or attr == "Chroma"):
                path = ctx.string(kw.get("persist_directory"))
                add("chromadb", "vector_db", "chromadb", path, [], False)
                coll = ctx.string(kw.get("collection_name"))
                if coll:
                    add(coll, "vector_db", "chromadb", path, [], False)
                return
        if top in _VECTOR_DBS and imported:
            client = _VECTOR_DBS[top]
            if top == "chromadb" and attr in (
                "PersistentClient",
                "HttpClient",
                "Client",
                "EphemeralClient",
                "AsyncHttpClient",
                "CloudClient",
            ):
                endpoint = None
                if attr == "PersistentClient":
                    endpoint = _first_string(ctx, call, "path")
                    if endpoint is None and not call.args and "path" not in kw:
                        endpoint = "./chroma"  # chromadb's default
                elif "Http" in attr:
                    host = ctx.string(kw.get("host")) or "localhost"
                    port = ctx.value_or_text(kw.get("port")) if "port" in kw else 8000
                    endpoint = host if "://" in host else f"http://{host}:{port}"
                add("chromadb", "vector_db", client, endpoint, [], False)
                return
            if top != "chromadb" and (attr[:1].isupper() or attr in ("connect", "init")):
                endpoint = ctx.string(kw.get("url") or kw.get("host") or kw.get("path")) or (
                    _first_string(ctx, call) if attr == "connect" else None
                )
                add(client, "vector_db", client, endpoint, [], False)
            return
        # collections named on a vector store client whose variable we cannot type
        if attr in ("get_or_create_collection", "create_collection", "get_collection") and (
            "chromadb" in ctx.imported or "langchain_chroma" in ctx.imported
        ):
            coll = _first_string(ctx, call, "name")
            if coll:
                add(coll, "vector_db", "chromadb", None, [], False)
            return
        # HTTP clients
        if top in ("requests", "httpx", "aiohttp", "urllib", "urllib3") and imported:
            if attr in _HTTP_VERBS or attr in (
                "urlopen",
                "Client",
                "AsyncClient",
                "Session",
                "ClientSession",
                "Request",
            ):
                url_node = None
                if attr == "request" and len(call.args) > 1:
                    url_node = call.args[1]
                elif attr in ("Client", "AsyncClient", "ClientSession"):
                    url_node = kw.get("base_url")
                elif call.args:
                    url_node = call.args[0]
                else:
                    url_node = kw.get("url")
                host, url, is_self = http_service(ctx, url_node, call.lineno)
                client = "urllib" if top.startswith("urllib") else top
                add(host or client, "self" if is_self else "http", client, url, [], False)
            return
        # SQL and other databases
        if attr in ("create_engine", "create_async_engine") and (top == "sqlalchemy" or not imported):
            add("sqlalchemy", "database", "sqlalchemy", _first_string(ctx, call, "url"), [], False)
            return
        if top == "flask_sqlalchemy" and attr == "SQLAlchemy":
            add("sqlalchemy", "database", "flask_sqlalchemy", None, [], False)
            return
        if top in _DATABASES and imported and attr in _DATABASES[top]:
            if top == "redis":
                endpoint = _first_string(ctx, call, "url") if attr == "from_url" else ctx.string(kw.get("url"))
            else:
                endpoint = _first_string(ctx, call, "dsn", "url", "conninfo", "database", "host")
            if top == "redis" and not endpoint:
                host = ctx.string(kw.get("host")) or "localhost"
                port = ctx.value_or_text(kw.get("port")) if "port" in kw else 6379
                endpoint = f"redis://{host}:{port}"
            add(top, "database", top, endpoint, [], False)
            return
        if top in _QUEUES and imported and attr in _QUEUES[top]:
            endpoint = ctx.string(kw.get("broker") or kw.get("bootstrap_servers"))
            add(top, "queue", top, endpoint, [], False)
            return
        if top == "boto3" and imported and attr in _CLOUD["boto3"]:
            svc = _first_string(ctx, call, "service_name")
            add(svc or "boto3", "cloud", "boto3", ctx.string(kw.get("endpoint_url")), [], False)
            return
        if (name.startswith("google.cloud.") or top == "azure") and imported and attr[:1].isupper():
            add(name.rsplit(".", 1)[0], "cloud", top, None, [], False)
            return
        if top in _LOCAL_MODELS and imported and (attr in _LOCAL_MODELS[top] or attr.startswith("AutoModel")):
            model = models[0] if models else None
            if attr in ("SentenceTransformer", "CrossEncoder", "from_pretrained") and call.args:
                model = ctx.string(call.args[0]) or model
            if model and "{" not in model:
                add(model, "other", top, model, [model], False)
            return
        # Calls on a client object whose type we cannot see: `client.chat.completions.create`.
        chain = dotted(call.func) or ""
        if chain.endswith(
            (
                ".chat.completions.create",
                ".completions.create",
                ".embeddings.create",
                ".responses.create",
                ".chat.completions.parse",
                ".beta.chat.completions.parse",
            )
        ):
            self.fallbacks.append(_Service("openai", "llm", "openai", None, models, call, True))
        elif chain.endswith(".messages.create") and "anthropic" in ctx.imported:
            self.fallbacks.append(_Service("anthropic", "llm", "anthropic", None, models, call, True))

    def finish(self) -> None:
        ctx = self.ctx
        clients = {s.client for s in self.found}
        for fallback in self.fallbacks:
            if fallback.client not in clients:
                clients.add(fallback.client)
                self.found.append(fallback)
        seen: set[tuple[str, str, str | None]] = set()
        self.found.sort(key=lambda s: (s.node.lineno, s.node.col_offset))
        for svc in self.found:
            key = (svc.name, svc.client, svc.endpoint)
            if key in seen:
                continue
            seen.add(key)
            extra = []
            if svc.file_models:
                extra = self.file_models + self.constant_models
            elif svc.kind == "vector_db":
                extra = self.embedding_models
            models: list[str] = []
            for model in svc.models + extra:
                if model not in models:
                    models.append(model)
            if svc.kind == "vector_db" and svc.endpoint is None and svc.name != svc.client:
                # a collection lives where the file's client of that store points
                svc.endpoint = next(
                    (s.endpoint for s in self.found if s.name == s.client == svc.client and s.endpoint),
                    None,
                )
            ctx.add_node(
                FactKind.SERVICE,
                svc.name,
                {"kind": svc.kind, "client": svc.client, "endpoint": svc.endpoint, "models": models},
                svc.node,
            )
