/**
 * Model architectures: {@code layer} holds the building blocks, one sub-package per family named
 * after its checkpoint ({@code bert}), each a plain forward pass observable through
 * {@link dev.tongyeok.model.Observer}.
 */
package dev.tongyeok.model;
