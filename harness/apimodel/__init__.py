"""The API model: what the probes know of a backend's HTTP surface and how to sign in to it."""

from harness.apimodel._discover import abuild_api_model, build_api_model, sign_in
from harness.apimodel._gql_schema import (
    GqlArg,
    GqlField,
    GqlSchema,
    GqlSignIn,
    GqlType,
    GraphQLApi,
    from_introspection,
    parse_sdl,
)
from harness.apimodel._graphql import gql_data, is_graphql_answer
from harness.apimodel._http import cookie_header, curl_line, open_client, run_sync
from harness.apimodel._json import dig, find_token, items_of, record_id, unwrap
from harness.apimodel._learn import Account, Send, SendOptions, create_record, credentials
from harness.apimodel._match import (
    AUTH_WORDS,
    Candidate,
    Match,
    best_match,
    canonical,
    match_all,
    score_pair,
)
from harness.apimodel._model import ApiModel, AuthFlow, Endpoint, Operation, Resource, RouteMatch

__all__ = [
    "AUTH_WORDS",
    "Account",
    "ApiModel",
    "AuthFlow",
    "Candidate",
    "Endpoint",
    "GqlArg",
    "GqlField",
    "GqlSchema",
    "GqlSignIn",
    "GqlType",
    "GraphQLApi",
    "Match",
    "Operation",
    "Resource",
    "RouteMatch",
    "Send",
    "SendOptions",
    "abuild_api_model",
    "best_match",
    "build_api_model",
    "canonical",
    "cookie_header",
    "create_record",
    "credentials",
    "curl_line",
    "dig",
    "find_token",
    "from_introspection",
    "gql_data",
    "is_graphql_answer",
    "items_of",
    "match_all",
    "open_client",
    "parse_sdl",
    "record_id",
    "run_sync",
    "score_pair",
    "sign_in",
    "unwrap",
]
