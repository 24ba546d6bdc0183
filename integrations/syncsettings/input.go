package syncsettings

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// Input is a change to a configuration; nil fields keep their value.
type Input struct {
	Integration string
	// IntegrationID names the integration by id instead (the original
	// system's integration_id); giving both is refused.
	IntegrationID      int64
	Enabled            *bool
	Direction          *string
	Environment        *string
	SyncOnCreate       *bool
	SyncOnUpdate       *bool
	SyncOnDelete       *bool
	Entities           []string
	ConflictResolution *string
	PollInterval       *int
}

// Directions and Strategies are the values a configuration accepts.
var (
	Directions = []string{models.DirectionLocalOnly, models.DirectionDualWrite, models.DirectionExternalOnly, models.DirectionFromExternal, models.DirectionBidirectional}
	Strategies = []string{models.ConflictLocalWins, models.ConflictExternalWins, models.ConflictNewestWins, models.ConflictManual}
)

// apply copies in onto cfg and validates the result against the
// integration's sync functions.
func (s *Service) apply(ctx context.Context, orgID int64, cfg *models.SyncConfig, in Input) error {
	in.copyTo(cfg)
	bad := checkValues(cfg)
	doc, _, err := s.reg.Load(ctx, orgID, cfg.IntegrationID)
	if err != nil {
		return err
	}
	bad = append(bad, checkEntities(doc, cfg)...)
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

func (in Input) copyTo(cfg *models.SyncConfig) {
	set(&cfg.Enabled, in.Enabled)
	set(&cfg.Direction, in.Direction)
	if in.Environment != nil {
		// "" follows the integration's default_environment.
		cfg.EnvironmentDefault = *in.Environment == ""
		if !cfg.EnvironmentDefault {
			cfg.Environment = *in.Environment
		}
	}
	set(&cfg.SyncOnCreate, in.SyncOnCreate)
	set(&cfg.SyncOnUpdate, in.SyncOnUpdate)
	set(&cfg.SyncOnDelete, in.SyncOnDelete)
	set(&cfg.ConflictResolution, in.ConflictResolution)
	set(&cfg.PollIntervalSeconds, in.PollInterval)
	if in.Entities != nil {
		cfg.Entities = strings.Join(in.Entities, ",")
	}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// checkValues checks the fields that need no definition.
func checkValues(cfg *models.SyncConfig) []apperr.FieldError {
	var bad []apperr.FieldError
	if !slices.Contains(Directions, cfg.Direction) {
		bad = append(bad, apperr.FieldError{Field: "direction", Message: "must be one of " + strings.Join(Directions, ", ")})
	}
	if !slices.Contains(Strategies, cfg.ConflictResolution) {
		bad = append(bad, apperr.FieldError{Field: "conflict_resolution", Message: "must be one of " + strings.Join(Strategies, ", ")})
	}
	if !definition.IsEnvironment(cfg.Environment) {
		bad = append(bad, apperr.FieldError{Field: "environment", Message: "must be one of " + strings.Join(definition.Environments, ", ") + ", or empty for the integration's default_environment"})
	}
	if cfg.PollIntervalSeconds < 10 || cfg.PollIntervalSeconds > 86400 {
		bad = append(bad, apperr.FieldError{Field: "poll_interval_seconds", Message: "must be between 10 and 86400"})
	}
	return bad
}

// checkEntities checks that every entity is one the definition can sync
// (a local_only configuration needs no sync functions).
func checkEntities(doc *definition.Document, cfg *models.SyncConfig) []apperr.FieldError {
	var bad []apperr.FieldError
	for i, e := range cfg.EntityList() {
		field := fmt.Sprintf("entities[%d]", i)
		if e != "appointment" && e != "patient" {
			bad = append(bad, apperr.FieldError{Field: field, Message: "must be appointment or patient"})
			continue
		}
		if cfg.Direction != models.DirectionLocalOnly && (doc.Sync[e] == nil || doc.Sync[e].Create == "" && doc.Sync[e].ListChanged == "") {
			bad = append(bad, apperr.FieldError{Field: field, Message: fmt.Sprintf("%s has no sync functions for %s (sync.%s in its definition)", doc.Slug, e, e)})
		}
	}
	return bad
}
