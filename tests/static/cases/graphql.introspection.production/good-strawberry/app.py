import os

import strawberry
from strawberry.extensions import AddValidationRules
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.fastapi import GraphQLRouter
from fastapi import FastAPI


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


extensions = [] if os.environ.get("DEBUG") == "1" else [AddValidationRules([NoSchemaIntrospectionCustomRule])]
schema = strawberry.Schema(query=Query, extensions=extensions)
app = FastAPI()
app.include_router(GraphQLRouter(schema), prefix="/graphql")
