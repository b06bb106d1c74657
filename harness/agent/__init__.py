"""Agent definitions: frontmatter fields and markdown body, read without ever failing on content."""

from harness.agent._model import Agent, AgentFileError, Diagnostic
from harness.agent._parse import decode_agent_bytes, parse_agent, parse_agent_text

__all__ = [
    "Agent",
    "AgentFileError",
    "Diagnostic",
    "decode_agent_bytes",
    "parse_agent",
    "parse_agent_text",
]
