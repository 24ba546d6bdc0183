package urls

// SettingsTestAlert is the path of the settings page's "Send test alert".
func (u URLs) SettingsTestAlert() string { return u.Named(SettingsTestAlert) }

// SettingsRotateAlert is the path that rotates the alerts' signing secret.
func (u URLs) SettingsRotateAlert() string { return u.Named(SettingsRotateAlert) }

// UserResetLink is the path that issues a password-reset link for a user.
func (u URLs) UserResetLink(userID int64) string { return u.Named(UsersResetLink, id(userID)) }

// PasswordReset is the page of a password-reset link.
func (u URLs) PasswordReset(token string) string { return u.Named(PasswordResetShow, seg(token)) }
