package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	yamlv2 "go.yaml.in/yaml/v2"
)

// orderedYAML converts JSON to YAML keeping the order of object keys
// (sigs.k8s.io/yaml sorts them, which puts slug and name at the bottom of
// an export). go.yaml.in/yaml/v2 is the library sigs.k8s.io/yaml is built
// on; its MapSlice keeps order.
func orderedYAML(j []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	v, err := readOrdered(dec)
	if err != nil {
		return nil, err
	}
	return yamlv2.Marshal(v)
}

// readOrdered reads one JSON value: objects become MapSlices, numbers
// int64, uint64 or float64 (the first that holds the number exactly, since
// a whole number past int64 would lose digits as a float64).
func readOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return readObject(dec)
		}
		if t == '[' {
			return readArray(dec)
		}
		return nil, fmt.Errorf("unexpected %q", t)
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n, nil
		}
		if n, err := strconv.ParseUint(t.String(), 10, 64); err == nil {
			return n, nil
		}
		return t.Float64()
	}
	return tok, nil
}

// readObject reads the members of an object whose "{" has been read.
func readObject(dec *json.Decoder) (any, error) {
	m := yamlv2.MapSlice{}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, ok := key.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		v, err := readOrdered(dec)
		if err != nil {
			return nil, err
		}
		m = append(m, yamlv2.MapItem{Key: k, Value: v})
	}
	_, err := dec.Token() // "}"
	return m, err
}

// readArray reads the items of an array whose "[" has been read.
func readArray(dec *json.Decoder) (any, error) {
	items := []any{}
	for dec.More() {
		v, err := readOrdered(dec)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	_, err := dec.Token() // "]"
	return items, err
}
