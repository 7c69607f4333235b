"""scikit-learn peer for Benchmarks/learning: same synthetic CSVs, comparable models, fit times."""
import subprocess, sys, time
try:
    import numpy as np, sklearn  # noqa: F401
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "numpy", "scikit-learn"])
    import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, log_loss
from sklearn.preprocessing import StandardScaler

directory = sys.argv[1]
train = np.loadtxt(f"{directory}/train.csv", delimiter=",")
test = np.loadtxt(f"{directory}/test.csv", delimiter=",")
X, y = train[:, :-1], train[:, -1].astype(int)
Xt, yt = test[:, :-1], test[:, -1].astype(int)
scaler = StandardScaler().fit(X)
X, Xt = scaler.transform(X), scaler.transform(Xt)

def report(name, model):
    start = time.perf_counter()
    model.fit(X, y)
    fit = time.perf_counter() - start
    p = model.predict_proba(Xt)
    pred = p.argmax(axis=1)
    print(f"sklearn {name}: fit {fit:.2f} s, test accuracy {accuracy_score(yt, pred):.4f}, "
          f"macro-F1 {f1_score(yt, pred, average='macro'):.4f}, log-loss {log_loss(yt, p):.4f}")

# C = 1 / (l2 · n) matches TaleaLearning's mean-loss objective with l2 = 0.01.
report("LogisticRegression (lbfgs, balanced, C=1/(0.01 n))",
       LogisticRegression(C=1 / (0.01 * len(y)), class_weight="balanced", max_iter=500))
report("HistGradientBoostingClassifier (100 iter, depth 4, lr 0.1, 64 bins, balanced)",
       HistGradientBoostingClassifier(max_iter=100, max_depth=4, learning_rate=0.1, max_bins=64,
                                      min_samples_leaf=5, class_weight="balanced", early_stopping=False,
                                      random_state=0))
