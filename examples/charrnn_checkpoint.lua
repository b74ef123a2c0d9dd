-- A small char-rnn-style checkpoint, built and saved as char-rnn's train.lua does:
-- its own OneHot layer (a torch.class), an nngraph LSTM, and the table it saves.
--   pytorch-lite run examples/charrnn_checkpoint.lua [out.t7]
require 'nn'
require 'nngraph'

local OneHot, parent = torch.class('OneHot', 'nn.Module')
function OneHot:__init(outputSize)
   parent.__init(self)
   self.outputSize = outputSize
   self._eye = torch.eye(outputSize)
end
function OneHot:updateOutput(input)
   self.output:resize(input:size(1), self.outputSize):zero()
   if self._eye == nil then self._eye = torch.eye(self.outputSize) end
   self._eye = self._eye:float()
   local longInput = input:long()
   self.output:copy(self._eye:index(1, longInput))
   return self.output
end

local function lstm(vocab, rnn_size, n)
   local inputs = {nn.Identity()()}
   for _ = 1, n do
      table.insert(inputs, nn.Identity()())   -- prev_c
      table.insert(inputs, nn.Identity()())   -- prev_h
   end
   local x, input_size, outputs = nil, nil, {}
   for L = 1, n do
      local prev_c, prev_h = inputs[L * 2], inputs[L * 2 + 1]
      if L == 1 then
         x, input_size = OneHot(vocab)(inputs[1]), vocab
      else
         x, input_size = outputs[(L - 1) * 2], rnn_size
      end
      local all = nn.CAddTable()({nn.Linear(input_size, 4 * rnn_size)(x), nn.Linear(rnn_size, 4 * rnn_size)(prev_h)})
      local n1, n2, n3, n4 = nn.SplitTable(2)(nn.Reshape(4, rnn_size)(all)):split(4)
      local in_gate, forget_gate, out_gate = nn.Sigmoid()(n1), nn.Sigmoid()(n2), nn.Sigmoid()(n3)
      local next_c = nn.CAddTable()({nn.CMulTable()({forget_gate, prev_c}),
                                     nn.CMulTable()({in_gate, nn.Tanh()(n4)})})
      local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
      table.insert(outputs, next_c)
      table.insert(outputs, next_h)
   end
   table.insert(outputs, nn.LogSoftMax()(nn.Linear(rnn_size, vocab)(outputs[#outputs])))
   return nn.gModule(inputs, outputs)
end

torch.manualSeed(123)
local vocab = {}
for i, c in ipairs({'a', 'b', 'c', 'd', 'e', ' '}) do vocab[c] = i end
local protos = {rnn = lstm(6, 16, 2), criterion = nn.ClassNLLCriterion()}
local out = arg[1] or 'lm_lstm.t7'
torch.save(out, {protos = protos, opt = {rnn_size = 16, num_layers = 2, model = 'lstm'},
                 vocab = vocab, epoch = 1, val_loss = 1.79})
print('saved ' .. out)
