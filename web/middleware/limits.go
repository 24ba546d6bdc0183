package middleware

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/nulbyte"
	"switchboard/web"
)

// BodyLimit refuses bodies over web.BodyLimit (except on import routes)
// with 413 before any handler runs. A declared Content-Length is checked at
// once; a body of unknown length (chunked) is read up to the limit first,
// so that going over it is a 413 too and never a parse error of a cut body.
func BodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody || web.IsImportPath(req.URL.Path) {
			return next(c)
		}
		if req.ContentLength > web.BodyLimit {
			return errBodyTooLarge()
		}
		if req.ContentLength < 0 {
			b, err := io.ReadAll(io.LimitReader(req.Body, web.BodyLimit+1))
			if err != nil {
				return apperr.New(apperr.CodeInvalidRequest, "the request body could not be read")
			}
			if len(b) > web.BodyLimit {
				return errBodyTooLarge()
			}
			req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		}
		return next(c) // a declared length is enforced by the server itself
	}
}

func errBodyTooLarge() error {
	return apperr.New(web.CodePayloadTooLarge, "the request body is larger than 1 MiB")
}

// RefuseNULInput is the one input check for the text every route reads
// outside a JSON body: path parameters and the query (400), and url-encoded
// or multipart form fields (422), each refusal naming the field. JSON
// bodies are checked where they are decoded (web.DecodeJSON, definition
// documents, webhooks), which knows the JSON path.
func RefuseNULInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for i, name := range c.ParamNames() {
			if v := c.ParamValues(); i < len(v) && nulbyte.In(v[i]) {
				return web.NULRefusal(apperr.CodeInvalidRequest, name)
			}
		}
		if name, ok := web.NULField(c.QueryParams()); ok {
			return web.NULRefusal(apperr.CodeInvalidRequest, name)
		}
		if hasForm(c) {
			form, err := c.FormParams()
			if err != nil {
				return next(c) // unreadable forms are the handler's to refuse
			}
			if name, ok := web.NULField(form); ok {
				return web.NULRefusal(apperr.CodeValidationFailed, name)
			}
		}
		return next(c)
	}
}

// hasForm reports a form body worth checking; import uploads are read (and
// size-limited) by their handler and checked as documents.
func hasForm(c echo.Context) bool {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	form := strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)
	return form && !web.IsImportPath(c.Request().URL.Path)
}
