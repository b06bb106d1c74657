import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const typeDefs = `type User { friends: [User!]! name: String } type Query { me: User }`;
const resolvers = { Query: { me: () => ({ name: "a", friends: [] }) } };
const server = new ApolloServer({ typeDefs, resolvers });
startStandaloneServer(server, { listen: { port: 4000 } });
