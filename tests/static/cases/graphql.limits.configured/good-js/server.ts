import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import depthLimit from "graphql-depth-limit";

const typeDefs = `type User { friends: [User!]! name: String } type Query { me: User }`;
const resolvers = { Query: { me: () => ({ name: "a", friends: [] }) } };
const server = new ApolloServer({ typeDefs, resolvers, validationRules: [depthLimit(7)] });
startStandaloneServer(server, { listen: { port: 4000 } });
