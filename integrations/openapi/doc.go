// Package openapi turns API descriptions into endpoint registries of
// integration definitions (SPEC §1 "import openapi" / "import registry",
// §4 and §9 "Import").
//
// Parse reads an OpenAPI 3.x or Swagger 2.0 document (YAML or JSON) or a
// registry file (an array of endpoint objects in the definition document's
// own endpoints form) into a Source: endpoints, a base URL and a suggested
// auth setting. Filter narrows a Source by tag or path prefix, and NewPlan
// works out what importing it into a new or an existing integration adds,
// changes and removes, with the resulting definition document, before
// anything is written. The package is pure: no database, no network.
//
// A document that cannot be imported gives an *Error naming the file, a
// JSON pointer into the document and the reason. The importer is lenient
// where the OpenAPI rules do not matter to an import (a missing
// info.version, a response without a description): such findings become
// warnings on the Source. It is strict where an import would otherwise be
// wrong: broken or external $refs, structures of the wrong kind, duplicate
// keys.
package openapi
