# @param {Integer[][]} matrix
# @return {Integer[][]}
def transpose(matrix)
  # Wrong: swaps in place, which only works for square matrices.
  n = [matrix.size, matrix[0].size].min
  (0...n).each do |i|
    (i + 1...n).each do |j|
      matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
    end
  end
  matrix
end
