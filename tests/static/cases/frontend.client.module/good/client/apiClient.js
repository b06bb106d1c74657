// File: client/apiClient.js
export async function listTodos(token) {
  const r = await fetch('/api/v1/todos', { headers: { Authorization: `Bearer ${token}` } });
  return r.json();
}
