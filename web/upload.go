package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// ReadDocument reads an uploaded document of at most ImportBodyLimit: the
// multipart field "file", or the raw body. It returns the bytes and a name
// for error messages (the file's, or "request body"). file and body word
// what to choose or send when it is missing.
func ReadDocument(c echo.Context, file, body string) ([]byte, string, error) {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, ImportBodyLimit)
	if strings.HasPrefix(req.Header.Get("Content-Type"), "multipart/form-data") {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, "", apperr.Validation(apperr.FieldError{Field: "file", Message: "is required: choose " + file})
		}
		if fh.Size > ImportBodyLimit {
			return nil, "", apperr.New(CodePayloadTooLarge, "the file is larger than 20 MiB")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		return b, fh.Filename, err
	}
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, "", JSONError(err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, "", apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send %s", body)
	}
	return b, "request body", nil
}
