package handlers

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/syncer"
	"switchboard/web"
)

// WebhookHandler takes the changes external systems push.
type WebhookHandler struct {
	sync *syncer.Manager
}

// NewWebhookHandler returns a WebhookHandler over the syncer's intake.
func NewWebhookHandler(sync *syncer.Manager) *WebhookHandler { return &WebhookHandler{sync: sync} }

// Receive handles POST /webhooks/:org/:provider: a change pushed by an
// external system, verified by its signature (X-Switchboard-Signature, or
// X-Hub-Signature-256 / X-Signature, carrying "t=…,v1=…"; see
// syncer.Manager.Webhook).
func (h *WebhookHandler) Receive(c echo.Context) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return web.JSONError(err)
	}
	sig := c.Request().Header.Get("X-Switchboard-Signature")
	for _, name := range []string{"X-Hub-Signature-256", "X-Signature"} {
		if sig == "" {
			sig = c.Request().Header.Get(name)
		}
	}
	if err := h.sync.Webhook(c.Request().Context(), c.Param("org"), c.Param("provider"), body, sig); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]bool{"accepted": true})
}
