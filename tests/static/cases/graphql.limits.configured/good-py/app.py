import strawberry
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


schema = strawberry.Schema(
    query=Query, extensions=[QueryDepthLimiter(max_depth=7), MaxAliasesLimiter(max_alias_count=15)]
)
