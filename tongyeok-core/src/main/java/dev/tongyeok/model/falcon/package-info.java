/** Falcon's forward pass: rotary positions, multi-query or grouped attention in parallel with the feed-forward. */
package dev.tongyeok.model.falcon;
