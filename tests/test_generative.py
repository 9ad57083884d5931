"""book.generative: the Gaussian generative classifier against SciPy and scikit-learn, its laws, its errors."""
import numpy as np
import pytest
from hypothesis import assume, given, strategies as st
from scipy.stats import multivariate_normal
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis, QuadraticDiscriminantAnalysis
from sklearn.naive_bayes import GaussianNB

from book import (GaussianGenerative, GaussianNaiveBayes, gaussian_classes, gaussian_log_density,
                  linear_logits, one_hot, sigmoid, softmax)

COV = np.array([[1.0, 0.6], [0.6, 2.0]])


def two_classes(n=(60, 40), seed=1):
    return gaussian_classes(list(n), [[0.0, 0.0], [2.0, 1.0]], COV, seed=seed)


def three_classes(seed=2):
    covs = np.array([COV, [[0.5, -0.2], [-0.2, 0.7]], [[1.5, 0.0], [0.0, 0.3]]])
    return gaussian_classes([50, 30, 40], [[0.0, 0.0], [3.0, 0.0], [1.0, 2.5]], covs, seed=seed)


def ml_covariance(X):
    """The maximum-likelihood covariance (divides by n), written independently of the module."""
    R = X - X.mean(axis=0)
    return R.T @ R / len(X)


def scipy_posterior(X_train, y, X, shared):
    """P(C_k | x) from scipy densities and Bayes' rule, with the ML estimates computed here."""
    K = y.max() + 1
    priors = np.bincount(y) / len(y)
    covs = [ml_covariance(X_train[y == k]) for k in range(K)]
    if shared:
        pooled = sum(p * S for p, S in zip(priors, covs))
        covs = [pooled] * K
    joint = np.column_stack([
        multivariate_normal(X_train[y == k].mean(axis=0), covs[k]).pdf(X) * priors[k] for k in range(K)
    ])
    return joint / joint.sum(axis=1, keepdims=True)


# --- agreement with SciPy and scikit-learn ------------------------------------------------

@given(st.integers(0, 10_000), st.integers(1, 4))
def test_log_density_matches_scipy(seed, d):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((d, d))
    Sigma = A @ A.T + 0.1 * np.eye(d)
    mu = rng.standard_normal(d)
    X = rng.standard_normal((7, d)) * 3
    expected = multivariate_normal(mu, Sigma).logpdf(X)
    np.testing.assert_allclose(gaussian_log_density(X, mu, Sigma), expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("solver", ["lsqr", "svd"])
@pytest.mark.parametrize("data", [two_classes, three_classes])
def test_shared_covariance_matches_lda(solver, data):
    X, y = data()
    ours = GaussianGenerative().fit(X, y)
    lda = LinearDiscriminantAnalysis(solver=solver, store_covariance=True).fit(X, y)
    X_test, _ = data(seed=99)
    np.testing.assert_allclose(ours.predict_proba(X_test), lda.predict_proba(X_test), atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X_test), lda.predict(X_test))
    np.testing.assert_allclose(ours.means_, lda.means_)
    np.testing.assert_allclose(ours.priors_, lda.priors_)
    np.testing.assert_allclose(ours.covariance_, lda.covariance_, rtol=1e-10)


@pytest.mark.parametrize("data", [two_classes, three_classes])
def test_posteriors_match_scipy_bayes_rule(data):
    X, y = data()
    X_test, _ = data(seed=5)
    for shared in (True, False):
        ours = GaussianGenerative(shared_covariance=shared).fit(X, y)
        np.testing.assert_allclose(ours.predict_proba(X_test), scipy_posterior(X, y, X_test, shared), atol=1e-12)


@pytest.mark.parametrize("solver", ["svd", "eigen"])
def test_separate_covariances_match_qda(solver):
    """scikit-learn's QDA (1.9) estimates each class covariance by maximum likelihood, dividing by N_k as we do.

    (Older versions divided by N_k − 1; the independent SciPy test above does not depend on that.)
    """
    X, y = three_classes()
    ours = GaussianGenerative(shared_covariance=False).fit(X, y)
    qda = QuadraticDiscriminantAnalysis(solver=solver, reg_param=0.0, store_covariance=True).fit(X, y)
    for k in range(3):
        np.testing.assert_allclose(ours.covariance_[k], qda.covariance_[k], rtol=1e-10)
    np.testing.assert_allclose(ours.means_, qda.means_)
    X_test, _ = three_classes(seed=17)
    np.testing.assert_allclose(ours.predict_proba(X_test), qda.predict_proba(X_test), atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X_test), qda.predict(X_test))


@pytest.mark.parametrize("data", [two_classes, three_classes])
def test_naive_bayes_matches_gaussian_nb(data):
    X, y = data()
    gnb = GaussianNB().fit(X, y)  # default var_smoothing = 1e-9
    ours = GaussianNaiveBayes(reg=1e-9 * X.var(axis=0).max()).fit(X, y)
    X_test, _ = data(seed=7)
    np.testing.assert_allclose(ours.predict_proba(X_test), gnb.predict_proba(X_test), atol=1e-10)
    np.testing.assert_allclose(np.diagonal(ours.covariance_, axis1=1, axis2=2), gnb.var_, rtol=1e-10)
    off_diagonal = ours.covariance_ * (1 - np.eye(X.shape[1]))
    assert not off_diagonal.any()


# --- the formulas -------------------------------------------------------------------------

def test_two_class_sigmoid_identity_and_formulas():
    X, y = two_classes()
    m = GaussianGenerative().fit(X, y)
    Sigma_inv = np.linalg.inv(m.covariance_)
    mu0, mu1 = X[y == 0].mean(axis=0), X[y == 1].mean(axis=0)
    N0, N1 = np.sum(y == 0), np.sum(y == 1)
    w = Sigma_inv @ (mu1 - mu0)
    b = -0.5 * mu1 @ Sigma_inv @ mu1 + 0.5 * mu0 @ Sigma_inv @ mu0 + np.log(N1 / N0)
    assert m.W_.shape == (2, 1) and m.b_.shape == (1,)  # two classes: one logit
    np.testing.assert_allclose(m.W_[:, 0], w, rtol=1e-12)
    np.testing.assert_allclose(m.b_, [b], rtol=1e-12)
    pooled = (N0 * ml_covariance(X[y == 0]) + N1 * ml_covariance(X[y == 1])) / len(y)
    np.testing.assert_allclose(m.covariance_, pooled, rtol=1e-12)
    X_test, _ = two_classes(seed=11)
    np.testing.assert_allclose(m.predict_proba(X_test)[:, 1:], sigmoid(X_test @ m.W_ + m.b_), atol=1e-12)
    assert m.logits(X_test).shape == (len(X_test), 1)
    np.testing.assert_allclose(m.logits(X_test), X_test @ m.W_ + m.b_, atol=1e-9)
    np.testing.assert_array_equal(m.predict(X_test), (m.logits(X_test)[:, 0] > 0).astype(int))


def test_k_class_linear_softmax_logits():
    X, y = three_classes()
    for naive in (False, True):
        m = GaussianGenerative(naive=naive).fit(X, y)
        assert m.W_.shape == (2, 3) and m.b_.shape == (3,)
        X_test, _ = three_classes(seed=13)
        np.testing.assert_allclose(m.predict_proba(X_test), softmax(X_test @ m.W_ + m.b_), atol=1e-12)
        np.testing.assert_allclose(m.predict_proba(X_test), softmax(m.logits(X_test)), atol=1e-12)
        Sigma_inv = np.linalg.inv(m.covariance_)
        for k in range(3):
            np.testing.assert_allclose(m.W_[:, k], Sigma_inv @ m.means_[k], rtol=1e-12)


def test_linear_logits_formula():
    means = np.array([[1.0, 2.0], [-1.0, 0.5]])
    W, b = linear_logits(means, COV, [0.3, 0.7])
    S_inv = np.linalg.inv(COV)
    np.testing.assert_allclose(W, S_inv @ means.T)
    np.testing.assert_allclose(b, [-0.5 * m @ S_inv @ m + np.log(p) for m, p in zip(means, (0.3, 0.7))])


def test_gaussian_classes_is_deterministic_and_has_the_asked_moments():
    X, y = gaussian_classes([30, 20], [[0, 0], [5, 5]], COV, seed=4)
    X2, y2 = gaussian_classes([30, 20], [[0, 0], [5, 5]], COV, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, np.repeat([0, 1], [30, 20]))
    X_big, y_big = gaussian_classes(200_000, [[0, 0], [5, 5]], COV, seed=5)
    np.testing.assert_allclose(X_big[y_big == 1].mean(axis=0), [5, 5], atol=0.01)
    np.testing.assert_allclose(ml_covariance(X_big[y_big == 1]), COV, atol=0.02)


# --- laws -----------------------------------------------------------------------------------

settings_data = st.tuples(st.integers(0, 10_000), st.integers(2, 4), st.booleans(), st.booleans())


def random_problem(seed, K):
    rng = np.random.default_rng(seed)
    means = rng.normal(0, 2, (K, 2))
    A = rng.standard_normal((2, 2))
    return gaussian_classes(rng.integers(5, 30, K), means, A @ A.T + 0.2 * np.eye(2), seed=seed), rng


@given(settings_data)
def test_posteriors_are_distributions_and_predict_is_their_argmax(args):
    seed, K, shared, naive = args
    (X, y), rng = random_problem(seed, K)
    m = GaussianGenerative(shared_covariance=shared, naive=naive).fit(X, y)
    X_test = rng.normal(0, 4, (20, 2))
    P = m.predict_proba(X_test)
    assert P.shape == (20, K) and np.all(P >= 0) and np.all(P <= 1)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(m.predict(X_test), np.argmax(m.joint_log_density(X_test), axis=1))


@given(settings_data)
def test_posteriors_are_invariant_to_an_affine_change_of_coordinates(args):
    """x → Ax + c moves every fitted Gaussian with it, so P(C_k | x) does not change (full covariances)."""
    seed, K, shared, _ = args
    (X, y), rng = random_problem(seed, K)
    A = rng.standard_normal((2, 2)) + 2 * np.eye(2)
    assume(abs(np.linalg.det(A)) > 0.3)
    c = rng.normal(0, 5, 2)
    X_test = rng.normal(0, 3, (10, 2))
    m = GaussianGenerative(shared_covariance=shared).fit(X, y)
    moved = GaussianGenerative(shared_covariance=shared).fit(X @ A.T + c, y)
    np.testing.assert_allclose(moved.predict_proba(X_test @ A.T + c), m.predict_proba(X_test), rtol=0, atol=1e-8)


@given(settings_data)
def test_relabelling_the_classes_permutes_the_posterior_columns(args):
    seed, K, shared, naive = args
    (X, y), rng = random_problem(seed, K)
    perm = rng.permutation(K)
    X_test = rng.normal(0, 3, (10, 2))
    m = GaussianGenerative(shared, naive).fit(X, y)
    relabelled = GaussianGenerative(shared, naive).fit(X, perm[y])
    np.testing.assert_allclose(relabelled.predict_proba(X_test)[:, perm], m.predict_proba(X_test), rtol=0, atol=1e-10)


@given(st.integers(0, 10_000))
def test_swapping_two_labels_negates_w_and_b(seed):
    (X, y), _ = random_problem(seed, 2)
    m = GaussianGenerative().fit(X, y)
    swapped = GaussianGenerative().fit(X, 1 - y)
    np.testing.assert_allclose(swapped.W_, -m.W_, atol=1e-10)
    np.testing.assert_allclose(swapped.b_, -m.b_, atol=1e-10)


@given(st.integers(0, 10_000), st.integers(2, 4))
def test_duplicating_the_data_changes_nothing(seed, K):
    (X, y), _ = random_problem(seed, K)
    m = GaussianGenerative(shared_covariance=False).fit(X, y)
    twice = GaussianGenerative(shared_covariance=False).fit(np.vstack([X, X]), np.concatenate([y, y]))
    np.testing.assert_allclose(twice.covariance_, m.covariance_, atol=1e-12)
    np.testing.assert_allclose(twice.priors_, m.priors_)


def test_far_away_inputs_give_finite_posteriors_without_warnings():
    X, y = two_classes()
    for shared in (True, False):
        m = GaussianGenerative(shared_covariance=shared).fit(X, y)
        P = m.predict_proba(np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4]]))
        assert np.isfinite(P).all()
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        assert np.isfinite(m.predict_log_proba(np.array([[1e4, -1e4]]))).all()


def test_reg_rescues_a_singular_class_covariance():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [3.0, 0.0], [4.0, 1.0], [3.5, 2.0]])
    y = np.array([0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="class 0 is singular.*reg"):
        GaussianGenerative(shared_covariance=False).fit(X, y)
    m = GaussianGenerative(shared_covariance=False, reg=0.1).fit(X, y)
    np.testing.assert_allclose(m.covariance_[0], [[0.35, 0.25], [0.25, 0.35]])


# --- bad input: one test per error ------------------------------------------------------------

def test_one_class_only():
    with pytest.raises(ValueError, match="one class only"):
        GaussianGenerative().fit(np.ones((4, 2)), np.zeros(4, dtype=int))


def test_a_missing_label():
    X, _ = two_classes()
    with pytest.raises(ValueError, match="label 1 has no examples"):
        GaussianGenerative().fit(X[:4], [0, 2, 2, 0])


def test_negative_label():
    with pytest.raises(ValueError, match="out of range"):
        GaussianGenerative().fit(np.eye(3), [0, 1, -1])


def test_non_integer_labels():
    with pytest.raises(ValueError, match="integer class labels"):
        GaussianGenerative().fit(np.eye(3), [0.0, 1.5, 1.0])


def test_string_labels():
    with pytest.raises(TypeError, match="integer class labels"):
        GaussianGenerative().fit(np.eye(3), ["a", "b", "a"])


def test_labels_not_1d():
    with pytest.raises(ValueError, match="1-D"):
        GaussianGenerative().fit(np.eye(2), [[0], [1]])


def test_mismatched_lengths():
    with pytest.raises(ValueError, match="different lengths"):
        GaussianGenerative().fit(np.zeros((5, 2)), [0, 1, 0])


def test_singular_shared_covariance():
    X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])  # the second feature never varies
    with pytest.raises(ValueError, match="shared covariance estimate is singular.*more data.*reg"):
        GaussianGenerative().fit(X, [0, 0, 1, 1])


def test_wrong_width_at_predict():
    X, y = two_classes()
    m = GaussianGenerative().fit(X, y)
    with pytest.raises(ValueError, match="3 features, expected 2"):
        m.predict_proba(np.zeros((2, 3)))


def test_predict_before_fit():
    with pytest.raises(ValueError, match="not fitted"):
        GaussianGenerative().predict(np.zeros((2, 2)))


def test_nan_in_X():
    X, y = two_classes()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GaussianGenerative().fit(X, y)


def test_bad_options():
    with pytest.raises(ValueError, match="reg"):
        GaussianGenerative(reg=-1.0)
    with pytest.raises(TypeError, match="True or False"):
        GaussianGenerative(shared_covariance="yes")


def test_weights_only_for_a_linear_model():
    X, y = two_classes()
    for name in ("W_", "b_"):
        with pytest.raises(AttributeError, match="shared_covariance=True"):
            getattr(GaussianGenerative(shared_covariance=False).fit(X, y), name)
        with pytest.raises(AttributeError, match="not fitted"):
            getattr(GaussianGenerative(), name)


def test_log_density_bad_sigma():
    with pytest.raises(ValueError, match="symmetric"):
        gaussian_log_density(np.zeros((2, 2)), [0, 0], [[1.0, 0.5], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"shape \(3, 3\), expected \(2, 2\)"):
        gaussian_log_density(np.zeros((2, 2)), [0, 0], np.eye(3))
    with pytest.raises(ValueError, match="singular"):
        gaussian_log_density(np.zeros((2, 2)), [0, 0], [[1.0, 1.0], [1.0, 1.0]])


def test_linear_logits_bad_priors():
    with pytest.raises(ValueError, match="priors must be positive"):
        linear_logits([[0, 0], [1, 1]], np.eye(2), [1.0, 0.0])
    with pytest.raises(ValueError, match=r"priors has shape \(3,\)"):
        linear_logits([[0, 0], [1, 1]], np.eye(2), [0.2, 0.3, 0.5])


def test_gaussian_classes_bad_input():
    with pytest.raises(ValueError, match="positive integers"):
        gaussian_classes([3, 0], [[0, 0], [1, 1]], np.eye(2))
    with pytest.raises(ValueError, match="one count or 2 counts"):
        gaussian_classes([3, 3, 3], [[0, 0], [1, 1]], np.eye(2))
    with pytest.raises(ValueError, match="K >= 2"):
        gaussian_classes(3, [[0, 0]], np.eye(2))
    with pytest.raises(ValueError, match=r"cov has shape"):
        gaussian_classes(3, [[0, 0], [1, 1]], np.eye(3))
    with pytest.raises(ValueError, match="positive definite"):
        gaussian_classes(3, [[0, 0], [1, 1]], [[1.0, 2.0], [2.0, 1.0]])


# --- the explorer's computations ------------------------------------------------------------

def test_explorer_samples_have_the_asked_covariances():
    from book.explorers.generative import MU0, sample_classes
    U = np.random.default_rng(0).standard_normal((200_000, 2))
    X, y = sample_classes((2.0, 1.0), rho=-0.6, scale=1.5, spread1=2.0, n1=150_000, U0=U[:50_000], U1=U[50_000:])
    Sigma = 1.5**2 * np.array([[1.0, -0.6], [-0.6, 1.0]])
    np.testing.assert_array_equal(np.bincount(y), [50_000, 150_000])
    np.testing.assert_allclose(X[y == 0].mean(axis=0), MU0, atol=0.03)
    np.testing.assert_allclose(ml_covariance(X[y == 0]), Sigma, atol=0.05)
    np.testing.assert_allclose(ml_covariance(X[y == 1]), 4 * Sigma, atol=0.1)


def test_explorer_bands_tile_the_plane_at_the_right_log_odds():
    """For z = x₁ the band between probabilities p and q is the strip logit(p) <= x₁ < logit(q)."""
    from book.explorers.generative import LEVELS, posterior_contours
    xs = ys = np.linspace(-5, 5, 41)
    z = np.tile(xs, (len(ys), 1))
    bands, boundary = posterior_contours(xs, ys, z)
    assert len(boundary) == 1
    np.testing.assert_allclose(boundary[0][:, 0], 0.0, atol=1e-12)  # P = ½ where z = x₁ = 0
    areas = []
    for paths in bands:
        area = 0.0
        for path in paths:
            v = path.vertices[path.codes != 79]  # drop CLOSEPOLY's placeholder vertex
            area += 0.5 * abs(np.dot(v[:, 0], np.roll(v[:, 1], -1)) - np.dot(v[:, 1], np.roll(v[:, 0], -1)))
        areas.append(area)
    inner = np.log(LEVELS[1:-1] / (1 - LEVELS[1:-1]))
    edges = np.concatenate([[-5.0], inner, [5.0]])
    np.testing.assert_allclose(areas, np.diff(edges) * 10, atol=1e-9)


def test_one_fit_is_the_batch_of_one_of_the_class_moments():
    """GaussianGenerative.fit and the batched learning-curve fit share _class_moments: equal, data set by data set."""
    from book.generative import _class_moments

    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((4, 40, 3)), np.arange(40) % 3
    Y = one_hot(y, 3)
    counts, means, per_class = _class_moments(X, np.broadcast_to(Y, (4, 40, 3)))
    for i in range(4):
        model = GaussianGenerative(shared_covariance=False).fit(X[i], y)
        one = _class_moments(X[i], Y)
        assert np.array_equal(one[0], counts[i]) and np.array_equal(model.class_counts_, counts[i])
        assert np.array_equal(model.means_, means[i]) and np.array_equal(one[1], means[i])
        assert np.array_equal(model.covariance_, per_class[i]) and np.array_equal(one[2], per_class[i])
