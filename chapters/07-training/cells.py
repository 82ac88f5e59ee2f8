# The PyTorch twin of cells.ts: the tutorial's network trained on made-up digits in MNIST's shape,
# cell for cell. The cells that draw random numbers start from torch.manual_seed, so the losses
# are the same each time it runs. pytorch-output.json is what these cells printed:
#   python3 chapters/record_pytorch.py chapters/07-training

# %% id=imports
import torch
from torch import nn, optim


# %% id=dataset
def digits(count, offset):
    """Made-up digits in MNIST's shape: a stripe at column 2 * label (brightness 120), noise (0 to 130) elsewhere."""
    pixels, labels = [], []
    for i in range(count):
        label = (i + offset) % 10
        labels.append(label)
        for p in range(28 * 28):
            column = p % 28
            stripe = 2 * label <= column < 2 * label + 3
            pixels.append(120 if stripe else ((i + offset) * 7 + p * 13) % 131)
    return torch.tensor(pixels, dtype=torch.float32).reshape(count, 1, 28, 28), torch.tensor(labels)


train_images, train_labels = digits(640, 0)
test_images, test_labels = digits(160, 3)
print(train_images.shape, train_labels.shape, test_images.shape)
train_labels[0:12]

# %% id=standardise
def standardise(images):
    return images.div(255).sub(0.1307).div(0.3081)


x = standardise(train_images)
print(f"{x.mean().item():.4f}", f"{x.std().item():.4f}")

# %% id=model
def network():
    """The tutorial's network, with new random weights each time."""
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(28 * 28, 100),
        nn.ReLU(),
        nn.Linear(100, 100),
        nn.ReLU(),
        nn.Linear(100, 10),
    )


torch.manual_seed(0)
model = network()
loss_fn = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
print(model)

# %% id=one-step
first = x[0:64]
targets = train_labels[0:64]
loss = loss_fn(model(first), targets)
print(f"before: {loss.item():.4f}")
optimizer.zero_grad()
loss.backward()
optimizer.step()
loss = loss_fn(model(first), targets)
print(f"after one step: {loss.item():.4f}")


# %% id=batches
def batch_of(images, labels, indices):
    return torch.stack([images[i] for i in indices]), torch.stack([labels[i] for i in indices])


torch.manual_seed(1)
order = torch.randperm(640).tolist()
print(order[:8])
xb, yb = batch_of(x, train_labels, order[:64])
print(xb.shape, yb[0:8])


# %% id=train-epoch
def train_epoch(batch_size):
    """One pass over the training images in a fresh random order; the mean loss of its steps."""
    model.train()
    order = torch.randperm(len(train_labels)).tolist()
    total, steps = 0.0, 0
    for start in range(0, len(order), batch_size):
        images, labels = batch_of(x, train_labels, order[start:start + batch_size])
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
        steps += 1
    return total / steps


# %% id=evaluate
def accuracy(net):
    """The share of the test images whose highest score is their label."""
    net.eval()
    with torch.no_grad():
        predicted = net(standardise(test_images)).argmax(1)
        return predicted.eq(test_labels).sum().item() / len(test_labels)


print(f"before training: {accuracy(model):.4f}")

# %% id=train
torch.manual_seed(2)
for epoch in range(1, 4):
    loss = train_epoch(64)
    print(f"epoch {epoch}: loss {loss:.4f}, test accuracy {accuracy(model):.4f}")

# %% id=save-load
saved = model.state_dict()
torch.manual_seed(3)
restored = network()
print(f"a new network: {accuracy(restored):.4f}")
restored.load_state_dict(saved)
print(f"with the trained weights: {accuracy(restored):.4f}")
