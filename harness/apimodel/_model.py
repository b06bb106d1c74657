"""What the probes know of a backend's HTTP surface: its operations, how to sign in, and the main
resource to exercise. Built from a task contract, the app's own OpenAPI document or its static
routes (in that order of preference) and confirmed live where the source is unsure."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from harness.apimodel._gql_schema import GraphQLApi
from harness.app._model import RealtimeEndpoint

Source = Literal["task", "openapi", "static-routes"]
BodyKind = Literal["json", "form"]


class Operation(BaseModel):
    """One method on one path, as the app serves it ({param} style)."""

    method: str
    path: str
    path_params: list[str] = Field(default_factory=list)
    query_params: list[str] = Field(default_factory=list)
    body_schema: dict[str, Any] | None = None
    body_example: dict[str, Any] | None = None
    body_kind: BodyKind = "json"
    success_status: list[int] = Field(default_factory=list)
    auth_required: bool | None = None  # None: not known
    admin: bool = False
    upload: bool = False
    operation_id: str | None = None
    contract_path: str | None = None  # the task contract's path this one was matched to
    origin: str = "static-routes"  # task | openapi | static-routes | live
    confirmed: bool = False  # answered live with something other than 404

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


class RouteMatch(BaseModel):
    """How a contract (or expected) operation was found among the app's routes."""

    wanted: str  # "POST /login"
    found: str | None  # "POST /api/v1/auth/login"; None when unmatched
    how: str  # exact | prefix | synonym | suffix | users-as-register | live | unmatched
    score: float = 0.0
    confirmed: bool | None = None  # None: not checked live


class Endpoint(BaseModel):
    """A step of the sign-in flow: where to send which fields."""

    method: str = "POST"
    path: str
    fields: list[str] = Field(default_factory=list)
    body_kind: BodyKind = "json"
    success_status: list[int] = Field(default_factory=list)
    # the key the fields are nested under ({"user": {...}}, Rails-style), when the app wants one
    wrap: str | None = None

    def request_kwargs(self, body: dict[str, Any]) -> dict[str, Any]:
        """The httpx keyword arguments that send ``body`` the way this step takes it."""
        if self.body_kind == "form":
            if self.wrap:
                return {"data": {f"{self.wrap}[{k}]": v for k, v in body.items()}}
            return {"data": body}
        return {"json": {self.wrap: body} if self.wrap else body}


class AuthFlow(BaseModel):
    kind: Literal["bearer", "cookie", "header", "none", "unknown"] = "unknown"
    registration: Endpoint | None = None
    login: Endpoint | None = None
    refresh: Endpoint | None = None
    me_path: str | None = None
    identity_field: str | None = None  # the login identity: "email", "username"...
    token_paths: list[str] = Field(default_factory=list)  # dotted JSON paths, first match wins
    refresh_token_paths: list[str] = Field(
        default_factory=lambda: ["refresh_token", "data.refresh_token", "refreshToken"]
    )
    token_from: Literal["login", "register", "cookie", "unknown"] = "unknown"
    header_name: str = "Authorization"
    scheme: str = "Bearer"  # "" sends the bare token
    cookie_names: list[str] = Field(default_factory=list)
    strong_password: str | None = None
    weak_passwords: list[str] = Field(default_factory=lambda: ["123", "password", "abc"])
    confirmed: bool = False  # a live sign-in worked with this flow


class Resource(BaseModel):
    """A collection the app serves, e.g. /todos with items at /todos/{id}."""

    name: str
    collection_path: str
    item_path: str | None = None
    id_param: str | None = None
    id_field: str = "id"
    collection_methods: list[str] = Field(default_factory=list)
    item_methods: list[str] = Field(default_factory=list)
    create_example: dict[str, Any] = Field(default_factory=dict)
    create_schema: dict[str, Any] | None = None
    list_params: list[str] = Field(default_factory=list)
    auth_required: bool | None = None
    confirmed: bool = False  # a live create + read worked
    post_path: str | None = None  # where records are created when not the collection itself

    @property
    def create_path(self) -> str:
        """``POST /task`` next to ``GET /tasks``: generated apps do not always keep one path."""
        return self.post_path or self.collection_path


class ApiModel(BaseModel):
    source: Source
    operations: list[Operation] = Field(default_factory=list)
    auth: AuthFlow = Field(default_factory=AuthFlow)
    resources: list[Resource] = Field(default_factory=list)
    health_path: str | None = None
    openapi_url: str | None = None  # where the app serves its own OpenAPI document
    openapi_paths: list[str] = Field(default_factory=list)  # paths in that document
    matches: list[RouteMatch] = Field(default_factory=list)
    # socket and event-stream servers found in the source (harness.app), for the realtime probes
    realtime: list[RealtimeEndpoint] = Field(default_factory=list)
    socket_packages: list[str] = Field(default_factory=list)  # socket libraries it depends on
    notes: list[str] = Field(default_factory=list)
    graphql: GraphQLApi | None = None  # the app's GraphQL endpoint, schema and sign-in mutations
    # users signed in while the model was confirmed live; the probe session reuses one rather
    # than paying for another registration (slow password hashing makes each one cost seconds)
    _accounts: list[Any] = PrivateAttr(default_factory=list)

    def keep_account(self, account: Any) -> None:
        self._accounts.append(account)

    def take_account(self) -> Any | None:
        return self._accounts.pop(0) if self._accounts else None

    @property
    def resource(self) -> Resource | None:
        """The main resource (the first one: ranked by CRUD completeness and task relevance)."""
        return self.resources[0] if self.resources else None

    @property
    def admin_routes(self) -> list[Operation]:
        return [op for op in self.operations if op.admin]

    @property
    def upload_routes(self) -> list[Operation]:
        return [op for op in self.operations if op.upload]

    def find(self, method: str, path: str) -> Operation | None:
        for op in self.operations:
            if op.method == method.upper() and op.path == path:
                return op
        return None
