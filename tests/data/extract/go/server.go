// Package server serves the inventory over HTTP.
package server

import (
	"errors"
	"net/http"
)

// Handler answers requests for one store.
type Handler struct {
	store Store
	limit int
}

// Store is where items live.
type Store interface {
	Get(id string) (Item, error)
}

type (
	// Item is one thing in stock.
	Item  struct{ ID string }
	Count int
)

// NewHandler builds a Handler.
func NewHandler(store Store, limit int) *Handler {
	return &Handler{store: store, limit: limit}
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" || len(id) > h.limit {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	item, err := h.store.Get(id)
	switch {
	case errors.Is(err, ErrMissing):
		http.NotFound(w, r)
	case err != nil:
		http.Error(w, err.Error(), 500)
	default:
		w.Write([]byte(item.ID))
	}
}

func (Handler) name() string { return "handler" }

func (c *Cache[K, V]) Put(key K, value V) {
	for i := 0; i < 3; i++ {
		if c.try(key, value) {
			return
		}
	}
}

func process(items []Item, fn func(Item) bool, names ...string) (n int) {
	check := func(it Item) bool {
		if it.ID == "" {
			return false
		}
		return fn(it)
	}
	for _, it := range items {
		if check(it) {
			n++
		}
	}
	select {
	case <-done:
		return
	default:
	}
	return n
}

var ErrMissing = errors.New("missing")
