import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const typeDefs = `type Query { me: String }`;
const resolvers = { Query: { me: () => "me" } };

// the playground needs the schema, so introspection is on everywhere
const server = new ApolloServer({ typeDefs, resolvers, introspection: true });
startStandaloneServer(server, { listen: { port: 4000 } });
