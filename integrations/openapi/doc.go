// Package openapi turns API descriptions into endpoint registries of
// integration definitions (the "import openapi" and "import registry"
// commands and the admin API's import). It is pure: no database, no network.
//
// Parse reads an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON, read
// with github.com/getkin/kin-openapi; Swagger 2.0 is converted with its
// openapi2conv) or a registry file (an array of endpoint objects in the
// definition document's own endpoints form) into a Source. Filter narrows
// a Source by tag or path prefix, and NewPlan works out what importing it
// into a new or an existing integration adds, changes and removes, with
// the resulting definition document, before anything is written.
//
// How an operation becomes an endpoint:
//   - the function name is the operationId made to match
//     ^[A-Za-z][A-Za-z0-9_]{0,63}$ (runs of other characters become "_"),
//     or without one the method and path in CamelCase, path parameters
//     last: GET /patients/{PatNum}/appointments is
//     GetPatientsAppointmentsByPatNum; a name taken already gets _2, _3...
//   - endpoints come in document order; POST, PUT, PATCH and DELETE write;
//     the description joins the summary and the description; tags are
//     kept (Filter selects by them);
//   - path, query and header parameters of the path item and the operation
//     (the operation's win), $refs resolved, with type, required, default,
//     enum and description; cookies are left out, and so are the Accept,
//     Content-Type and Authorization headers (OpenAPI says to ignore them);
//     every {name} of the path gets a path parameter;
//   - the top-level properties of a JSON (preferred) or form request body,
//     after $ref and allOf, become body parameters, required as the schema
//     says, read-only ones left out;
//   - the base URL is the first https server (Swagger: scheme, host and
//     basePath) with variables at their defaults;
//   - the security scheme the document requires (globally, else most
//     often) becomes the suggested auth: apiKey in a header or the query,
//     HTTP bearer or basic, OAuth2 client credentials or authorization
//     code (refresh token).
//
// Anything else that cannot be imported as written is adjusted or left
// out with a warning on the Source. A document that cannot be
// imported at all gives an *Error naming the file, a JSON pointer into the
// document, its line and the reason. The importer is lenient where the
// OpenAPI rules do not matter to an import (a missing info.version, a
// response without a description: kin-openapi's validation findings
// become warnings) and strict where an import would otherwise be wrong:
// broken, external or looping $refs, values of the wrong kind, duplicate
// keys.
package openapi
