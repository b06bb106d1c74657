import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const typeDefs = `type Query { me: String }`;
const resolvers = { Query: { me: () => "me" } };

const server = new ApolloServer({
  typeDefs,
  resolvers,
  introspection: process.env.NODE_ENV !== "production",
});
startStandaloneServer(server, { listen: { port: 4000 } });
