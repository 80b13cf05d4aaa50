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


#: Calls on an LLM SDK module that make a client or a request (besides any capitalised class).
_LLM_CALLS = frozenset(
    {"create", "chat", "generate", "completion", "acompletion", "embeddings", "embed", "embedding", "GenerativeModel"}
)
_CHROMA_CLIENTS = frozenset(
    {"PersistentClient", "HttpClient", "Client", "EphemeralClient", "AsyncHttpClient", "CloudClient"}
)
_HTTP_CLIENTS = frozenset({"urlopen", "Client", "AsyncClient", "Session", "ClientSession", "Request"})
#: Method chains of an OpenAI client object that send a request.
_OPENAI_CHAINS = (
    ".chat.completions.create",
    ".completions.create",
    ".embeddings.create",
    ".responses.create",
    ".chat.completions.parse",
    ".beta.chat.completions.parse",
)


@dataclass
class _Call:
    """A call as the handlers see it: the node, its names, keywords, and the models it names."""

    call: ast.Call
    name: str  # qualified by the file's imports
    attr: str  # the last name: the function or class called
    top: str  # the top-level package
    imported: bool  # whether the name comes from an import (not a local of the same name)
    kw: dict[str, ast.expr]
    models: list[str]


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
    """Collects the external services one file's calls reach, then records them as facts."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.found: list[_Service] = []
        self.file_models: list[str] = []
        self.embedding_models: list[str] = []
        self.fallbacks: list[_Service] = []
        self.constant_models = _constant_models(ctx)

    def visit(self, call: ast.Call) -> None:
        """Record the service ``call`` makes, if any: the first handler that knows it wins."""
        c = self._describe(call)
        handlers = (
            self._llm_sdk,
            self._langchain,
            self._vector_db,
            self._collection,
            self._http,
            self._database,
            self._queue_or_cloud,
            self._local_model,
        )
        if not any(handler(c) for handler in handlers):
            self._fallback(c)

    def _describe(self, call: ast.Call) -> _Call:
        """The call's names, and the model names it passes (kept for the file's LLM clients)."""
        ctx = self.ctx
        name = ctx.qual(call.func) or ""
        attr = last_name(call.func) or ""
        models = _model_names(ctx, call)
        for model in models:
            if model not in self.file_models:
                self.file_models.append(model)
        if "Embedding" in attr or "embed" in name.lower():
            for model in models:
                if model not in self.embedding_models:
                    self.embedding_models.append(model)
        return _Call(call, name, attr, name.split(".")[0], ctx.is_imported_name(call.func), kwargs(call), models)

    def _add(
        self,
        c: _Call,
        name: str,
        kind: str,
        client: str,
        endpoint: str | None = None,
        models: list[str] | None = None,
        file_models: bool = False,
    ) -> None:
        self.found.append(_Service(name, kind, client, endpoint, models or [], c.call, file_models))

    def _llm_sdk(self, c: _Call) -> bool:
        """An LLM provider's SDK: a client made, or a completion/embedding call on the module."""
        if c.top not in _LLM_PACKAGES or not c.imported:
            return False
        if c.top == "google" and not c.name.startswith(("google.generativeai", "google.genai")):
            return False  # other google packages are cloud services, judged below
        client = _LLM_PACKAGES[c.top]
        if c.attr[:1].isupper() or c.attr in _LLM_CALLS:
            ctx = self.ctx
            endpoint = ctx.string(c.kw.get("base_url") or c.kw.get("azure_endpoint") or c.kw.get("host"))
            named = _first_string(ctx, c.call) if c.attr == "GenerativeModel" and c.call.args else None
            own = c.models or ([named] if named else [])
            self._add(c, client, "llm", client, endpoint, own, True)
        return True

    def _langchain(self, c: _Call) -> bool:
        """LangChain and LlamaIndex wrappers: chat models, embeddings, and Chroma stores."""
        if not c.top.startswith(_LANGCHAIN_PREFIXES) or not c.imported:
            return False
        ctx, attr, kw = self.ctx, c.attr, c.kw
        lower = attr.lower()
        if attr.endswith("Embeddings") or attr.endswith("Embedding"):
            self._add(c, attr, "llm", c.top, ctx.string(kw.get("base_url")), c.models, False)
            return True
        if (
            attr == "init_chat_model"
            or attr.startswith("Chat")
            or (attr[:1].isupper() and ("llm" in lower or "openai" in lower or "ollama" in lower))
        ):
            own = c.models or [m for m in [_first_string(ctx, c.call, "model")] if m]
            endpoint = ctx.string(kw.get("base_url") or kw.get("openai_api_base"))
            self._add(c, attr if attr != "init_chat_model" else c.top, "llm", c.top, endpoint, own, True)
            return True
        if attr in ("Chroma", "from_documents", "from_texts") and ("chroma" in c.name.lower() or attr == "Chroma"):
            path = ctx.string(kw.get("persist_directory"))
            self._add(c, "chromadb", "vector_db", "chromadb", path, [], False)
            coll = ctx.string(kw.get("collection_name"))
            if coll:
                self._add(c, coll, "vector_db", "chromadb", path, [], False)
            return True
        return False

    def _vector_db(self, c: _Call) -> bool:
        """A vector database client, with where it stores or which server it reaches."""
        if c.top not in _VECTOR_DBS or not c.imported:
            return False
        ctx, attr, kw = self.ctx, c.attr, c.kw
        client = _VECTOR_DBS[c.top]
        if c.top == "chromadb" and attr in _CHROMA_CLIENTS:
            endpoint = None
            if attr == "PersistentClient":
                endpoint = _first_string(ctx, c.call, "path")
                if endpoint is None and not c.call.args and "path" not in kw:
                    endpoint = "./chroma"  # chromadb's default
            elif "Http" in attr:
                host = ctx.string(kw.get("host")) or "localhost"
                port = ctx.value_or_text(kw.get("port")) if "port" in kw else 8000
                endpoint = host if "://" in host else f"http://{host}:{port}"
            self._add(c, "chromadb", "vector_db", client, endpoint, [], False)
            return True
        if c.top != "chromadb" and (attr[:1].isupper() or attr in ("connect", "init")):
            endpoint = ctx.string(kw.get("url") or kw.get("host") or kw.get("path")) or (
                _first_string(ctx, c.call) if attr == "connect" else None
            )
            self._add(c, client, "vector_db", client, endpoint, [], False)
        return True

    def _collection(self, c: _Call) -> bool:
        """A collection named on a vector store client whose variable we cannot type."""
        if c.attr not in ("get_or_create_collection", "create_collection", "get_collection") or not (
            "chromadb" in self.ctx.imported or "langchain_chroma" in self.ctx.imported
        ):
            return False
        coll = _first_string(self.ctx, c.call, "name")
        if coll:
            self._add(c, coll, "vector_db", "chromadb", None, [], False)
        return True

    def _http(self, c: _Call) -> bool:
        """An HTTP client call or session, with the host it reaches (or this service itself)."""
        if c.top not in ("requests", "httpx", "aiohttp", "urllib", "urllib3") or not c.imported:
            return False
        attr, call = c.attr, c.call
        if attr in _HTTP_VERBS or attr in _HTTP_CLIENTS:
            url_node = None
            if attr == "request" and len(call.args) > 1:
                url_node = call.args[1]
            elif attr in ("Client", "AsyncClient", "ClientSession"):
                url_node = c.kw.get("base_url")
            elif call.args:
                url_node = call.args[0]
            else:
                url_node = c.kw.get("url")
            host, url, is_self = http_service(self.ctx, url_node, call.lineno)
            client = "urllib" if c.top.startswith("urllib") else c.top
            self._add(c, host or client, "self" if is_self else "http", client, url, [], False)
        return True

    def _database(self, c: _Call) -> bool:
        """SQLAlchemy engines and the connections of database drivers."""
        ctx, attr, top, kw = self.ctx, c.attr, c.top, c.kw
        if attr in ("create_engine", "create_async_engine") and (top == "sqlalchemy" or not c.imported):
            self._add(c, "sqlalchemy", "database", "sqlalchemy", _first_string(ctx, c.call, "url"), [], False)
            return True
        if top == "flask_sqlalchemy" and attr == "SQLAlchemy":
            self._add(c, "sqlalchemy", "database", "flask_sqlalchemy", None, [], False)
            return True
        if top not in _DATABASES or not c.imported or attr not in _DATABASES[top]:
            return False
        if top == "redis":
            endpoint = _first_string(ctx, c.call, "url") if attr == "from_url" else ctx.string(kw.get("url"))
        else:
            endpoint = _first_string(ctx, c.call, "dsn", "url", "conninfo", "database", "host")
        if top == "redis" and not endpoint:
            host = ctx.string(kw.get("host")) or "localhost"
            port = ctx.value_or_text(kw.get("port")) if "port" in kw else 6379
            endpoint = f"redis://{host}:{port}"
        self._add(c, top, "database", top, endpoint, [], False)
        return True

    def _queue_or_cloud(self, c: _Call) -> bool:
        """Message brokers, and cloud SDK clients (AWS, Google Cloud, Azure)."""
        ctx, attr, top, kw = self.ctx, c.attr, c.top, c.kw
        if top in _QUEUES and c.imported and attr in _QUEUES[top]:
            endpoint = ctx.string(kw.get("broker") or kw.get("bootstrap_servers"))
            self._add(c, top, "queue", top, endpoint, [], False)
            return True
        if top == "boto3" and c.imported and attr in _CLOUD["boto3"]:
            svc = _first_string(ctx, c.call, "service_name")
            self._add(c, svc or "boto3", "cloud", "boto3", ctx.string(kw.get("endpoint_url")), [], False)
            return True
        if (c.name.startswith("google.cloud.") or top == "azure") and c.imported and attr[:1].isupper():
            self._add(c, c.name.rsplit(".", 1)[0], "cloud", top, None, [], False)
            return True
        return False

    def _local_model(self, c: _Call) -> bool:
        """A model loaded in process (sentence-transformers, transformers), named by its id."""
        top, attr = c.top, c.attr
        if (
            top not in _LOCAL_MODELS
            or not c.imported
            or not (attr in _LOCAL_MODELS[top] or attr.startswith("AutoModel"))
        ):
            return False
        model = c.models[0] if c.models else None
        if attr in ("SentenceTransformer", "CrossEncoder", "from_pretrained") and c.call.args:
            model = self.ctx.string(c.call.args[0]) or model
        if model and "{" not in model:
            self._add(c, model, "other", top, model, [model], False)
        return True

    def _fallback(self, c: _Call) -> None:
        """Calls on a client object whose type we cannot see: ``client.chat.completions.create``."""
        chain = dotted(c.call.func) or ""
        if chain.endswith(_OPENAI_CHAINS):
            self.fallbacks.append(_Service("openai", "llm", "openai", None, c.models, c.call, True))
        elif chain.endswith(".messages.create") and "anthropic" in self.ctx.imported:
            self.fallbacks.append(_Service("anthropic", "llm", "anthropic", None, c.models, c.call, True))

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
