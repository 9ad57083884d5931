"""Softmax regression: a linear layer o = W^T x + b followed by the softmax, fitted by gradient descent.

The loss is the cross-entropy averaged over the n training examples,
L(W, b) = (1/n) Σ_n l(y_n, o_n), with gradients ∂L/∂W = Xᵀ(P − Y)/n and
∂L/∂b = mean over examples of (P − Y), where P holds the predicted
probabilities and Y the one-hot labels, one row per example.
"""
from __future__ import annotations

import numpy as np

from book.checks import as_design_matrix, as_labels, check_same_length
from book.softmax import cross_entropy, one_hot, softmax

__all__ = ["SoftmaxRegression"]


class SoftmaxRegression:
    """Multinomial logistic regression, unpenalised, by full-batch gradient descent from W = 0, b = 0.

    Starting at zero matters: the model is over-parameterised (adding the same
    vector to every column of W changes no probability), gradient steps never
    change Σ_k W[:, k] (each row of P − Y sums to zero), so from zero the
    weights stay centred across classes.
    """

    def __init__(self, lr: float = 0.5, steps: int = 500):
        if lr <= 0:
            raise ValueError(f"lr must be positive, got {lr}")
        if steps < 0 or int(steps) != steps:
            raise ValueError(f"steps must be a non-negative integer, got {steps}")
        self.lr = lr
        self.steps = int(steps)

    def fit(self, X, y, n_classes: int | None = None) -> "SoftmaxRegression":
        """Fit W (d × K) and b (K,) to inputs X (n × d) and labels y in 0..K−1; returns self."""
        X = as_design_matrix(X)
        y_arr = np.asarray(y)
        check_same_length(X, y_arr)
        K = n_classes if n_classes is not None else int(np.max(y_arr)) + 1
        if K < 2:
            raise ValueError("softmax regression needs at least two classes")
        Y = one_hot(as_labels(y_arr, K), K)
        self.W_ = np.zeros((X.shape[1], K))
        self.b_ = np.zeros(K)
        self.history_ = []
        for _ in range(self.steps):
            self.history_.append(self.step(X, Y))
        self.history_.append(float(np.mean(cross_entropy(self.logits(X), Y))))
        return self

    def step(self, X: np.ndarray, Y: np.ndarray) -> float:
        """One gradient step on checked X and one-hot Y; returns the loss before the step."""
        P = softmax(X @ self.W_ + self.b_)
        loss = float(np.mean(cross_entropy(X @ self.W_ + self.b_, Y)))
        self.W_ -= self.lr * X.T @ (P - Y) / len(X)
        self.b_ -= self.lr * np.mean(P - Y, axis=0)
        return loss

    def logits(self, X) -> np.ndarray:
        """o = X W + b, shape (n, K)."""
        return as_design_matrix(X, n_features=self.W_.shape[0]) @ self.W_ + self.b_

    def predict_proba(self, X) -> np.ndarray:
        """softmax(X W + b), shape (n, K): each row sums to one."""
        return softmax(self.logits(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row of X."""
        return np.argmax(self.logits(X), axis=1)
