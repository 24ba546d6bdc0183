package handlers

import (
	"encoding/json"
	"io"
	"strconv"
)

func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

func itoa(n int) string { return strconv.Itoa(n) }
