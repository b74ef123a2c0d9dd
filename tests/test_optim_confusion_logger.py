"""optim.ConfusionMatrix and optim.Logger against fixtures/torch7/scripts/11_confusion_logger."""
import os

import pytest

import pytorch_lite as torch
from pytorch_lite import optim

EXPECTED = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'fixtures', 'torch7',
                        'scripts', '11_confusion_logger.expected.txt')


@pytest.fixture(scope='module')
def expected():
    if not os.path.exists(EXPECTED):
        pytest.skip('Torch7 fixtures not available')
    with open(EXPECTED) as f:
        return f.read()


def filled_matrix():
    torch.manualSeed(17)
    conf = optim.ConfusionMatrix(['cat', 'dog', 'bird'])
    for i in range(60):
        target = i % 3
        scores = torch.randn(3)
        scores[target] = scores[target] + 1.0
        conf.add(scores, target)
    conf.batchAdd(torch.randn(6, 3), torch.Tensor([0, 1, 2, 2, 1, 0]))
    return conf


def test_print_layout_matches_torch7(expected):
    assert expected.startswith(str(filled_matrix()) + '\n')


def test_valids_match_torch7(expected):
    conf = filled_matrix()
    conf.updateValids()
    line = 'totalValid %.10g  averageValid %.10g\t\n' % (conf.totalValid, conf.averageValid)
    assert line in expected
    assert str(conf.mat) in expected and str(conf.valids) in expected
    assert conf.mat.typename == 'torch.LongTensor' and conf.valids.typename == 'torch.FloatTensor'


def test_zero_and_scalar_add():
    conf = filled_matrix()
    conf.zero()
    conf.add(1, 1)
    conf.add(0, 2)
    conf.add(0, -1)               # a negative target is a missing label
    assert conf.mat.sum() == 2 and conf.mat[2][0] == 1 and conf.totalValid == 0


def test_vector_targets_and_batch_forms():
    conf = optim.ConfusionMatrix(3)
    conf.add(torch.Tensor([0.1, 0.7, 0.2]), torch.Tensor([0, 1, 0]))
    conf.batchAdd(torch.Tensor([2, 0]), torch.Tensor([[0, 0, 1], [0, 1, 0]]))
    assert [conf.mat[t][p] for t, p in [(1, 1), (2, 2), (1, 0)]] == [1, 1, 1]
    text = str(conf)
    assert '[class:' not in text and text.splitlines()[1] == '[[       0       0       0]   -nan% '


def test_logger_file_matches_torch7(expected, tmp_path):
    fname = str(tmp_path / 'sub' / 'log.txt')
    logger = optim.Logger(fname)
    logger.setNames(['epoch', 'train loss', 'accuracy'])
    for epoch in range(1, 4):
        logger.add([epoch, 1 / (epoch + 1), 0.5 + 0.1 * epoch])
    logger.file.close()
    with open(fname) as f:
        content = f.read()
    assert content + 'logged lines\t3\t3\t\n' in expected
    assert len(logger.symbols) == 3 and len(logger.symbols[0]) == 3


def test_logger_dict_add_style_and_plot(tmp_path):
    fname = str(tmp_path / 'train.log')
    logger = optim.Logger(fname)
    for i in range(4):
        logger.add({'train error': 1.0 / (i + 1), 'phase': 'a'})
    logger.style({'train error': '-'})
    logger.file.close()
    with open(fname) as f:
        lines = f.read().split('\n')
    assert lines[0] == 'train error\tphase\t' and lines[1] == ' 1.0000e+00\ta\t'
    with pytest.raises(torch.TorchTypeError):
        logger.add({'train error': [1]})
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert logger.plot() is None
    else:
        out = logger.plot('train error')
        assert out == fname + '.png' and os.path.getsize(out) > 0
