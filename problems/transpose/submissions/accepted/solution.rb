# @param {Integer[][]} matrix
# @return {Integer[][]}
def transpose(matrix)
  matrix.transpose
end
