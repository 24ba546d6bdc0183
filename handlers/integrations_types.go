package handlers

// The request and answer bodies of the admin API of integrations,
// endpoints, parameter maps and imports. A whole integration travels as
// its definition document (definition.Document) both ways.
