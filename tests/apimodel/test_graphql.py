"""GraphQL discovery from the source: servers, endpoint candidates, the schema from SDL and from
code-first declarations, the sign-in mutations; and the query builders the probes use."""

from __future__ import annotations

from pathlib import Path

from harness.apimodel import GraphQLApi, from_introspection, parse_sdl
from harness.apimodel._graphql import _LOGIN, _REGISTER, sign_in_mutation
from harness.app import read_graphql
from harness.probes._gql_queries import (
    deep_path,
    extension_leak,
    nested_query,
    object_targets,
    path_to,
    root_candidates,
    sensitive_fields,
)

SDL = """
# accounts
type User { id: ID!  email: String! passwordHash: String notes(first: Int = 10): [Note!]! }
type Note @key(fields: "id") { id: ID!, title: String!
  "who wrote it" owner: User! }
input SignUpInput { email: String! password: String! }
type Session { accessToken: String! user: User! }
type Query { me: User  note(noteId: ID!): Note  notes: [Note!]! }
extend type Mutation { signUp(input: SignUpInput!): Session! createNote(title: String!): Note! }
type Mutation { login(email: String!, password: String!): String }
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_sdl_blocks_are_read_with_lists_arguments_and_extensions() -> None:
    s = parse_sdl(SDL)
    user = s.object("User")
    assert user is not None
    assert [f.name for f in user.fields] == ["id", "email", "passwordHash", "notes"]
    notes = user.field("notes")
    assert notes is not None and notes.is_list and notes.type == "Note"
    assert [(a.name, a.type, a.required) for a in notes.args] == [("first", "Int", False)]
    assert [f.name for f in s.object("Note").fields] == ["id", "title", "owner"]  # type: ignore[union-attr]
    assert {f.name for f in s.mutations} == {"signUp", "createNote", "login"}
    assert s.types["SignUpInput"].kind == "input"
    note = next(f for f in s.queries if f.name == "note")
    assert [(a.name, a.type, a.required) for a in note.args] == [("noteId", "ID", True)]


def test_sign_in_mutations_know_their_inputs_and_where_the_token_is() -> None:
    s = parse_sdl(SDL)
    up = sign_in_mutation(s, _REGISTER)
    assert up is not None and up.mutation == "signUp" and up.input_type == "SignUpInput"
    assert [a.name for a in up.input_fields] == ["email", "password"]
    assert up.token_path == ["accessToken"] and up.user_id_path == ["user", "id"]
    login = sign_in_mutation(s, _LOGIN)
    assert login is not None and login.selection == "" and login.token_path == []  # a String


def test_apollo_express_and_standalone_endpoints_and_schema_files(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "src/server.ts": (
                "import { ApolloServer } from '@apollo/server';\n"
                "import { expressMiddleware } from '@apollo/server/express4';\n"
                "import depthLimit from 'graphql-depth-limit';\n"
                "app.use('/api/graphql', expressMiddleware(server));\n"
            ),
            "src/schema/user.graphql": "type Query { me: User }\ntype User { id: ID! }",
            "standalone/index.js": (
                "const { startStandaloneServer } = require('@apollo/server/standalone');"
            ),
        },
    )
    src = read_graphql(root)
    assert {"apollo-standalone", "apollo"} <= set(src.servers)
    assert src.paths[0] == "/api/graphql"
    assert "/" in src.paths and "/graphql-depth-limit" not in src.paths
    assert any("type User" in t for t in src.sdl)


def test_yoga_mercurius_and_express_graphql_paths(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "yoga.js": "import { createYoga } from 'graphql-yoga';\n"
            "const yoga = createYoga({ schema, graphqlEndpoint: '/v1/gql' });",
            "fastify.js": "app.register(require('mercurius'), { schema, path: '/query/graphql' });",
            "legacy.js": "const { graphqlHTTP } = require('express-graphql');\n"
            "app.use('/legacy/graphql', graphqlHTTP({ schema }));",
        },
    )
    src = read_graphql(root)
    assert {"yoga", "mercurius", "express-graphql"} <= set(src.servers)
    assert {"/v1/gql", "/query/graphql", "/legacy/graphql"} <= set(src.paths)


def test_nestjs_code_first_types_and_resolvers_become_sdl(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "src/app.module.ts": "import { GraphQLModule } from '@nestjs/graphql';\n"
            "GraphQLModule.forRoot({ driver: ApolloDriver, autoSchemaFile: true, path: '/gql' })",
            "src/user.model.ts": "import { Field, ID, ObjectType } from '@nestjs/graphql';\n"
            "@ObjectType()\nexport class User {\n  @Field(() => ID) id: string;\n"
            "  @Field() email: string;\n  @Field() passwordHash: string;\n"
            "  @Field(() => [Post]) posts: Post[];\n}\n",
            "src/user.resolver.ts": "import { Resolver, Query, Args } from '@nestjs/graphql';\n"
            "@Resolver(() => User)\nexport class UserResolver {\n"
            "  @Query(() => User)\n  user(@Args('id') id: string) { return this.s.find(id); }\n}\n",
        },
    )
    src = read_graphql(root)
    schema = parse_sdl("\n".join(src.sdl))
    user = schema.object("User")
    assert user is not None and {"id", "email", "passwordHash", "posts"} <= {
        f.name for f in user.fields
    }
    assert user.field("posts").is_list  # type: ignore[union-attr]
    (query,) = schema.queries
    assert query.name == "user" and query.required_args[0].name == "id"
    assert src.paths[0] == "/gql"


def test_strawberry_and_graphene_classes_become_sdl_in_camel_case(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "app/schema.py": (
                "import strawberry\nfrom strawberry.fastapi import GraphQLRouter\n\n"
                "@strawberry.type\nclass User:\n    id: strawberry.ID\n    password_hash: str\n"
                "    notes: list['Note']\n\n"
                "@strawberry.type\nclass Query:\n"
                "    @strawberry.field\n"
                "    def user(self, info, user_id: strawberry.ID) -> User | None:\n"
                "        return None\n\n"
                "app.include_router(GraphQLRouter(schema), prefix='/graphql')\n"
            ),
            "legacy/schema.py": (
                "import graphene\n\nclass Account(graphene.ObjectType):\n"
                "    id = graphene.ID()\n    api_secret = graphene.String()\n"
                "    friends = graphene.List(lambda: Account)\n"
            ),
        },
    )
    src = read_graphql(root)
    assert {"strawberry", "graphene"} <= set(src.servers)
    schema = parse_sdl("\n".join(src.sdl))
    user = schema.object("User")
    assert user is not None and user.field("passwordHash") is not None
    assert user.field("notes").is_list  # type: ignore[union-attr]
    (q,) = schema.queries
    assert q.name == "user" and [a.name for a in q.args] == ["userId"]
    account = schema.object("Account")
    assert account is not None and account.field("apiSecret") is not None


def test_a_repo_without_graphql_has_no_server(tmp_path: Path) -> None:
    root = write(tmp_path, {"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    src = read_graphql(root)
    assert not src.present and not src.sdl


def test_introspection_results_are_read_like_sdl() -> None:
    def t(kind: str, name: str | None = None, of: dict | None = None) -> dict:
        return {"kind": kind, "name": name, "ofType": of}

    data = {
        "__schema": {
            "queryType": {"name": "Root"},
            "mutationType": None,
            "types": [
                {
                    "kind": "OBJECT",
                    "name": "Root",
                    "fields": [
                        {
                            "name": "items",
                            "args": [],
                            "type": t("NON_NULL", of=t("LIST", of=t("OBJECT", "Item"))),
                        },
                        {
                            "name": "item",
                            "args": [{"name": "id", "type": t("NON_NULL", of=t("SCALAR", "ID"))}],
                            "type": t("OBJECT", "Item"),
                        },
                    ],
                },
                {"kind": "OBJECT", "name": "__Type", "fields": []},
                {
                    "kind": "OBJECT",
                    "name": "Item",
                    "fields": [{"name": "id", "args": [], "type": t("SCALAR", "ID")}],
                },
            ],
        }
    }
    s = from_introspection(data)
    assert s.query_type == "Root" and "__Type" not in s.types
    items, item = s.queries
    assert items.is_list and items.type == "Item"
    assert item.required_args[0].name == "id"


def test_deep_queries_follow_the_schemas_own_recursion() -> None:
    s = parse_sdl(SDL)
    me = root_candidates(s)[0]
    assert me.name == "me"  # the signed-in user's own object first
    path = deep_path(s, me, 8)
    assert path is not None and len(path) == 8 and path[:3] == ["me", "notes", "owner"]
    text = nested_query(s, path, "Deep")
    assert text.startswith("query Deep { me { notes { owner {") and text.count("{") == 9
    flat = parse_sdl("type Query { me: User } type User { id: ID! name: String }")
    assert deep_path(flat, flat.queries[0], 3) is None  # no recursion: no deep query


def test_sensitive_fields_spare_the_sign_in_token() -> None:
    s = parse_sdl(SDL + "\ntype Device { id: ID! token: String }")
    gql = GraphQLApi(endpoint="/graphql", types=s)
    gql.sign_up = sign_in_mutation(s, _REGISTER)
    found = sensitive_fields(gql)
    assert ("User", "passwordHash") in found and ("Device", "token") in found
    assert ("Session", "accessToken") not in found
    assert path_to(s, "User") == ["me"]


def test_object_targets_pair_a_create_with_its_by_id_query() -> None:
    s = parse_sdl(SDL)
    [(create, read)] = object_targets(s)
    assert (create.name, read.name) == ("createNote", "note")


def test_stack_traces_in_extensions_are_leaks() -> None:
    apollo = [{"message": "x", "extensions": {"code": "E", "stacktrace": ["Error: x", "  at f"]}}]
    assert "stacktrace" in (extension_leak(apollo) or "")
    ariadne = [{"message": "x", "extensions": {"exception": {"context": {}, "stacktrace": []}}}]
    assert "exception" in (extension_leak(ariadne) or "")
    assert extension_leak([{"message": "Not found", "extensions": {"code": "NOT_FOUND"}}]) is None


def test_a_clients_query_documents_are_not_a_schema(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "web/src/queries.graphql": "query GetNotes { notes { id title } }",
            "server.js": "const express = require('express');\napp.get('/notes', list);\n",
        },
    )
    src = read_graphql(root)
    assert not src.present and src.sdl == []


def test_alias_floods_are_sized_to_the_promised_bound() -> None:
    from harness.probes._gql_queries import alias_count

    assert alias_count({"max_aliases": 15}) == (16, None)
    assert alias_count({"max_depth": 7, "max_complexity": 1000}) == (501, None)
    n, note = alias_count({"max_complexity": 50000})
    assert n == 100 and note and "not counted" in note
    assert alias_count({}) == (100, None)


def test_nestjs_sign_in_through_an_input_type_is_learned(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "src/auth/dto.ts": "import { Field, InputType, ObjectType } from '@nestjs/graphql';\n"
            "@InputType()\nexport class LoginInput {\n  @Field() email: string;\n"
            "  @Field() password: string;\n}\n"
            "@ObjectType()\nexport class AuthPayload {\n  @Field() accessToken: string;\n"
            "  @Field(type => User) user: User;\n}\n",
            "src/auth/auth.resolver.ts": "import { Args, Context, Int, Mutation, Query, Resolver }"
            " from '@nestjs/graphql';\n@Resolver()\nexport class AuthResolver {\n"
            "  @Mutation(() => AuthPayload)\n"
            "  async login(@Args('loginInput') loginInput: LoginInput, @Context() ctx: any) {\n"
            "    return this.auth.login(loginInput);\n  }\n"
            "  @Query((returns) => Post, { nullable: true })\n"
            "  post(@Args('id', { type: () => Int }) id: number, @Args('draft') draft?: boolean) {"
            "\n    return null;\n  }\n}\n",
            "src/user.model.ts": "import { Field, ID, ObjectType } from '@nestjs/graphql';\n"
            "@ObjectType()\nexport class User {\n  @Field(() => ID) id: string;\n}",
        },
    )
    schema = parse_sdl("\n".join(read_graphql(root).sdl))
    login = sign_in_mutation(schema, _LOGIN)
    assert login is not None and login.input_type == "LoginInput"
    assert [a.name for a in login.input_fields] == ["email", "password"]
    assert login.token_path == ["accessToken"] and login.user_id_path == ["user", "id"]
    post = next(q for q in schema.queries if q.name == "post")
    assert [(a.name, a.type, a.required) for a in post.args] == [
        ("id", "Int", True),
        ("draft", "Boolean", False),
    ]


def test_a_django_route_keeps_its_trailing_slash_first(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "mysite/urls.py": "from graphene_django.views import GraphQLView\n"
            "urlpatterns = [path('graphql/', csrf_exempt(GraphQLView.as_view()))]\n",
            "notes/schema.py": "import graphene\n",
        },
    )
    src = read_graphql(root)
    assert "graphene" in src.servers
    assert src.paths[:2] == ["/graphql/", "/graphql"]


def test_an_endpoint_closed_to_anonymous_requests_is_found_with_a_token(tmp_path: Path) -> None:
    """The send is the boundary faked here: a server that answers only a bearer token."""
    import asyncio

    import httpx

    from harness.apimodel._graphql import discover_graphql
    from harness.app import detect_app

    write(
        tmp_path,
        {
            "server.js": "const { createYoga } = require('graphql-yoga');\n",
            "schema.graphql": "type Query { me: User }\ntype User { id: ID! }",
        },
    )
    seen: list[tuple[str, bool]] = []

    async def send(method, path, *, json=None, data=None, headers=None, cookies=None):
        signed = (headers or {}).get("Authorization") == "Bearer t0k"
        seen.append((path, signed))
        if not signed:
            return httpx.Response(401, json={"error": "unauthorized"})
        if path != "/graphql":
            return httpx.Response(404)
        return httpx.Response(200, json={"data": {"__typename": "Query"}})

    gql = asyncio.run(discover_graphql(detect_app(tmp_path), send, {"Authorization": "Bearer t0k"}))
    assert gql is not None and gql.endpoint == "/graphql" and gql.confirmed
    assert ("/graphql", False) in seen and ("/graphql", True) in seen
    assert any("as a signed-in user" in n for n in gql.notes)
