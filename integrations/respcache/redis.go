package respcache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is the Cache shared by every process that uses the same Redis.
type Redis struct {
	client *redis.Client
	prefix string
}

// NewRedis connects to url (redis://…); every key starts with prefix
// (default "switchboard:").
func NewRedis(url, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("respcache: SWITCHBOARD_REDIS_URL: %w", err)
	}
	if prefix == "" {
		prefix = "switchboard:"
	}
	return &Redis{client: redis.NewClient(opts), prefix: prefix}, nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.client.Ping(ctx).Err() }

// Close closes the connections.
func (r *Redis) Close() error { return r.client.Close() }

// Get implements Cache.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.client.Get(ctx, r.prefix+"c:"+key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Set implements Cache.
func (r *Redis) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	return r.client.Set(ctx, r.prefix+"c:"+key, value, ttl).Err()
}

// Generation implements Cache.
func (r *Redis) Generation(ctx context.Context, scope string) (int64, error) {
	n, err := r.client.Get(ctx, r.prefix+"g:"+scope).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// Invalidate implements Cache.
func (r *Redis) Invalidate(ctx context.Context, scope string) error {
	return r.client.Incr(ctx, r.prefix+"g:"+scope).Err()
}
