package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"switchboard/app"
	"switchboard/config"
	"switchboard/integrations/vault"
	"switchboard/logging"
	"switchboard/models"
	"switchboard/secret"
)

// runSecrets handles `switchboard secrets rotate [--new-key BASE64]`: every
// credential is re-encrypted under the new key in one transaction.
func runSecrets(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		return errors.New("secrets: usage: switchboard secrets rotate [--new-key BASE64]")
	}
	fs := flag.NewFlagSet("secrets rotate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	newKeyFlag := fs.String("new-key", "", "the new key (standard base64 of 32 bytes); generated when empty")
	settings := config.Bind(fs, getenv)
	if err := parseNoArgs(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := settings()
	if err != nil {
		return err
	}
	oldKey, _, err := secret.Load(cfg.SecretKey, cfg.DataDir, cfg.Embedded(), logging.New(stderr, "text", "warn"))
	if err != nil {
		return err
	}
	newKey, err := newKeyFrom(*newKeyFlag)
	if err != nil {
		return err
	}
	store, closeDB, err := openStore(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := app.CheckKeyFingerprint(ctx, store, oldKey); err != nil {
		return err
	}
	keyFile := filepath.Join(cfg.DataDir, secret.KeyFile)
	fromFile := cfg.SecretKey == ""
	if fromFile {
		// Write the new key before the data changes, so it can never be lost.
		if err := os.WriteFile(keyFile+".new", []byte(base64.StdEncoding.EncodeToString(newKey)+"\n"), 0o600); err != nil {
			return fmt.Errorf("secrets rotate: %w", err)
		}
	}
	n, err := reseal(ctx, store, oldKey, newKey)
	if err != nil {
		if fromFile {
			os.Remove(keyFile + ".new")
		}
		return err
	}
	fmt.Fprintf(stdout, "re-encrypted %d credentials under the new key (fingerprint %s)\n", n, secret.Fingerprint(newKey))
	if fromFile {
		return installKeyFile(stdout, keyFile)
	}
	fmt.Fprintln(stdout, "restart every process with this SWITCHBOARD_SECRET_KEY:")
	fmt.Fprintln(stdout, base64.StdEncoding.EncodeToString(newKey))
	return nil
}

// installKeyFile moves the new key written beside keyFile into its place,
// keeping the old one as keyFile.previous.
func installKeyFile(stdout io.Writer, keyFile string) error {
	if err := os.Rename(keyFile, keyFile+".previous"); err != nil {
		return fmt.Errorf("secrets rotate: the data uses the new key in %s.new; move it to %s by hand: %w", keyFile, keyFile, err)
	}
	if err := os.Rename(keyFile+".new", keyFile); err != nil {
		return fmt.Errorf("secrets rotate: the data uses the new key in %s.new; move it to %s by hand: %w", keyFile, keyFile, err)
	}
	fmt.Fprintf(stdout, "the new key is in %s (the old one in %s.previous)\n", keyFile, keyFile)
	return nil
}

func newKeyFrom(s string) ([]byte, error) {
	if s != "" {
		return secret.Decode(s)
	}
	k := make([]byte, secret.KeySize)
	_, err := rand.Read(k)
	return k, err
}

// reseal opens every credential with the old key and seals it with the new
// one, and records the new fingerprint, all in one transaction.
func reseal(ctx context.Context, store *models.Store, oldKey, newKey []byte) (int, error) {
	oldBox, err := secret.NewBox(oldKey)
	if err != nil {
		return 0, err
	}
	newBox, err := secret.NewBox(newKey)
	if err != nil {
		return 0, err
	}
	n := 0
	err = store.InTx(ctx, func(tx *models.Store) error {
		creds, err := tx.AllCredentials(ctx)
		if err != nil {
			return err
		}
		for _, c := range creds {
			aad := vault.AAD(c.OrganizationID, c.IntegrationID, c.Environment)
			pt, err := oldBox.Open(c.Sealed, aad)
			if err != nil {
				return fmt.Errorf("secrets rotate: credential %d: %w", c.ID, err)
			}
			sealed, err := newBox.Seal(pt, aad)
			if err != nil {
				return err
			}
			if err := tx.ResealCredential(ctx, c.ID, sealed); err != nil {
				return err
			}
			n++
		}
		return tx.SetSetting(ctx, app.FingerprintSetting, secret.Fingerprint(newKey))
	})
	return n, err
}
