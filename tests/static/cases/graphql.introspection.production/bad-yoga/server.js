const { createServer } = require("node:http");
const { createYoga, createSchema } = require("graphql-yoga");

const yoga = createYoga({
  schema: createSchema({
    typeDefs: /* GraphQL */ `type Query { hello: String }`,
    resolvers: { Query: { hello: () => "world" } },
  }),
});

createServer(yoga).listen(4000);
