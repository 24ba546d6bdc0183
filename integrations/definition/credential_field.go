package definition

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// CredentialField is one credential field of a definition: its Name (what
// templates use) and, for the form a practice owner fills, a Label, a Help
// text (what it is and where the vendor shows it) and whether it is Secret
// (a masked input whose value is never echoed; true unless set false). In a
// document it is either the bare name or an object:
//
//	credential_fields:
//	  - developer_key
//	  - {name: customer_key, label: Customer key, help: "Open Dental: Setup → Advanced → API"}
type CredentialField struct {
	Name   string `json:"name" doc:"The field's name, what auth templates use."`
	Label  string `json:"label,omitempty" doc:"What the practice owner's form calls the field."`
	Help   string `json:"help,omitempty" doc:"What the value is and where the vendor shows it."`
	Secret *bool  `json:"secret,omitempty" doc:"A masked input whose value is never echoed (true unless set false)."`
}

// Fields returns credential fields with the given names and nothing else.
func Fields(names ...string) []CredentialField {
	out := make([]CredentialField, len(names))
	for i, n := range names {
		out[i] = CredentialField{Name: n}
	}
	return out
}

// IsSecret reports whether the field is masked (the default).
func (f CredentialField) IsSecret() bool { return f.Secret == nil || *f.Secret }

// Title is the field's label, or its name with spaces for underscores.
func (f CredentialField) Title() string {
	if f.Label != "" {
		return f.Label
	}
	s := strings.ReplaceAll(f.Name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// OpenAPIStringOrObject marks the type as written either as a string or as
// an object (web/openapi describes it with oneOf).
func (CredentialField) OpenAPIStringOrObject() {}

// MarshalJSON writes a field that has only a name as that name.
func (f CredentialField) MarshalJSON() ([]byte, error) {
	if f.Label == "" && f.Help == "" && f.Secret == nil {
		return json.Marshal(f.Name)
	}
	type plain CredentialField
	return json.Marshal(plain(f))
}

// UnmarshalJSON reads a bare name or an object with known keys only.
func (f *CredentialField) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		*f = CredentialField{}
		return json.Unmarshal(b, &f.Name)
	}
	type plain CredentialField
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("a credential field is a name or {name, label, help, secret}: %w", err)
	}
	*f = CredentialField(p)
	return nil
}

// CredentialNames lists the names of the document's credential fields, in
// order.
func (d *Document) CredentialNames() []string {
	out := make([]string, len(d.CredentialFields))
	for i, f := range d.CredentialFields {
		out[i] = f.Name
	}
	return out
}

// HasCredential reports whether name is one of the credential fields.
func (d *Document) HasCredential(name string) bool {
	for _, f := range d.CredentialFields {
		if f.Name == name {
			return true
		}
	}
	return false
}
